import fc from 'fast-check'
import { conformanceApiKeys, conformanceTokens } from '../app/conformance-credentials.js'
import type { ConformanceRequest } from '../client/send-request.js'

/** Characters Node's HTTP parser takes in a request target; others never reach a framework. */
const targetChars = fc.constantFrom(
  ...'abcXYZ019-._~!$&\'()*+,;=:@/?#[]{}|\\^`"<>'.split(''),
  '%',
  '%00',
  '%2F',
  '%2e%2E',
  '%C3%28',
  '%FF',
  '%ZZ',
  '%u0041',
)

/** Characters a header value may carry on the wire: tab, visible ASCII, space and obs-text. */
const headerChar = fc.oneof(
  fc.integer({ min: 0x20, max: 0x7e }),
  fc.constant(0x09),
  fc.integer({ min: 0x80, max: 0xff }),
)
const headerValue = fc.array(headerChar, { maxLength: 60 }).map((codes) => String.fromCharCode(...codes))

const headerNames = [
  'Origin',
  'X-Forwarded-For',
  'X-Forwarded-Proto',
  'X-Forwarded-Host',
  'Forwarded',
  'Host',
  'Content-Type',
  'Access-Control-Request-Method',
  'Access-Control-Request-Headers',
  'Authorization',
  'X-API-Key',
  'Accept',
  'Cookie',
] as const

const base64url = fc.stringMatching(/^[A-Za-z0-9_-]{0,40}$/)

/**
 * Values shaped like credentials, so that the bearer and API key guards parse more than noise:
 * schemes with random tokens, JWT-shaped triples, key-shaped strings, and the suite's own tokens
 * and keys (valid ones included, so that requests get past authentication to the later guards).
 */
const credentialValue = fc.oneof(
  headerValue.map((value) => `Bearer ${value}`),
  fc.tuple(base64url, base64url, base64url).map((parts) => `Bearer ${parts.join('.')}`),
  fc
    .tuple(fc.constantFrom('sk_live_', 'sk_test_', 'pk_live_', 'Bearer sk_live_'), base64url)
    .map(([prefix, rest]) => `${prefix}${rest}`),
  fc.constantFrom(
    'Bearer',
    'Bearer ',
    'bearer  x',
    'Basic YWxpY2U6aHVudGVyMg==',
    'Bearer a, Bearer b',
    ...Object.values(conformanceTokens).map((token) => `Bearer ${token}`),
    ...Object.values(conformanceApiKeys),
  ),
)

const credentialLine = fc.tuple(fc.constantFrom('Authorization', 'X-API-Key'), credentialValue)

const plainLine = fc.tuple(
  fc.constantFrom(...headerNames),
  fc.oneof(
    headerValue,
    fc.constantFrom(
      'https://app.example.com',
      'null',
      'application/json',
      'application/json; charset=utf-16',
      'https',
      'http',
      '127.0.0.1',
      '::1',
      'unknown',
      'for=_hidden;proto=https',
      'POST',
      '',
    ),
  ),
)

const headerLine = fc.oneof({ weight: 3, arbitrary: plainLine }, { weight: 1, arbitrary: credentialLine })

/** Target pieces some frameworks answer themselves before any adapter runs (Next.js: 500 or 308). */
const frameworkOwnedPieces = new Set(['%', '%C3%28', '%FF', '%ZZ', '%u0041', '\\'])

function segments(frameworkOwnedTargets: boolean): fc.Arbitrary<string> {
  const chars = frameworkOwnedTargets
    ? targetChars.filter((piece) => !frameworkOwnedPieces.has(piece))
    : targetChars
  const segment = fc.array(chars, { minLength: 1, maxLength: 20 }).map((parts) => parts.join(''))
  return frameworkOwnedTargets
    ? segment.filter((path) => !path.includes('//') && !path.startsWith('/'))
    : segment
}

/** Method and path, weighted towards the routes that parse input or credentials. */
function routes(segment: fc.Arbitrary<string>) {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constant(['POST', '/v1/notes'] as const) },
    { weight: 2, arbitrary: segment.map((id) => ['GET', `/v1/notes/${id}`] as const) },
    { weight: 2, arbitrary: fc.constantFrom(['GET', '/v1/whoami'] as const, ['GET', '/health'] as const) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(['GET', '/v1/private'] as const, ['GET', '/v1/machine'] as const),
    },
    { weight: 2, arbitrary: segment.map((id) => ['DELETE', `/v1/notes/${id}`] as const) },
    {
      weight: 2,
      arbitrary: fc.tuple(
        fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'),
        fc.oneof(
          fc.constantFrom(
            '/',
            '/v1/notes',
            '/v1/notes/n_known',
            '/v1/notes/n_alice',
            '/v1/whoami',
            '/v1/private',
            '/v1/machine',
          ),
          segment.map((path) => `/${path}`),
        ),
      ),
    },
  )
}

const query = fc.oneof(
  fc.constant(''),
  fc.array(targetChars, { maxLength: 30 }).map((parts) => `?${parts.join('')}`),
  fc.constantFrom('?access_token=x', '?key=sk_live_x', '?__proto__[a]=1', '?a=1&a=2', '?=', '?&&', '?%'),
)

const bodies = fc.oneof(
  fc.constant(undefined),
  fc.uint8Array({ maxLength: 512 }),
  fc.string({ maxLength: 512 }),
  fc.json({ maxDepth: 4 }),
  fc
    .record({
      title: fc.string({ maxLength: 250 }),
      body: fc.string({ maxLength: 50 }),
      extra: fc.anything(),
    })
    .map((value) => JSON.stringify(value) ?? ''),
)

/**
 * Requests the server must answer with a status below 500, and with a problem body when it refuses.
 * With `frameworkOwnedTargets`, paths keep to what the framework lets reach the adapter (no
 * undecodable escapes, backslashes or empty segments).
 */
export function malformedRequests(
  options: { readonly frameworkOwnedTargets?: boolean } = {},
): fc.Arbitrary<ConformanceRequest> {
  return fc
    .record({
      route: routes(segments(options.frameworkOwnedTargets ?? false)),
      query,
      json: fc.boolean(),
      headers: fc.array(headerLine, { maxLength: 6 }),
      body: bodies,
      chunked: fc.boolean(),
    })
    .map(({ route: [method, path], query, json, headers, body, chunked }): ConformanceRequest => {
      const lines: [string, string][] = headers.some(([name]) => name === 'Host')
        ? []
        : [['Host', 'api.example.com']]
      if (json) lines.push(['Content-Type', 'application/json'])
      lines.push(...headers)
      return {
        method,
        target: `${path}${query}`,
        headers: lines,
        ...(body !== undefined && { body, chunked }),
      }
    })
}

/**
 * Requests the random search once found to break a server or the suite, replayed first on every
 * run so a fix cannot regress unseen. `/\a?@#` has no pathname under Node's legacy `url.parse`
 * (it reads `a?@` as a host), which Koa hands on as a `null` path. On `/\%ZZ@a#` and
 * `/\%ZZ@a?access_token=x`, `url.parse` throws (the undecodable `%ZZ@` is read as credentials):
 * a framework must not take that for a server error, and neither may an adapter's
 * `frameworkAnsweredTarget`.
 */
export function knownMalformedRequests(
  options: { readonly frameworkOwnedTargets?: boolean } = {},
): readonly ConformanceRequest[] {
  if (options.frameworkOwnedTargets === true) return []
  return ['/\\a?@#', '/\\%ZZ@a#', '/\\%ZZ@a?access_token=x'].map((target) => ({
    method: 'GET',
    target,
    headers: [['Host', 'api.example.com']],
  }))
}
