import * as v from 'valibot'
import { configError, parseOptions } from '../../config/index.js'
import { type Duration, parseDuration } from '../../duration/index.js'
import { type Clock, systemClock } from '../../pipeline/index.js'
import type { RevocationStore } from '../revocation-store.js'
import { basicAuthorization } from './client-authentication.js'
import type { IntrospectionFetch, IntrospectionRequestPolicy } from './introspection-request.js'
import type { IntrospectionResponsePolicy } from './introspection-response.js'

/** How introspection answers are kept, so that the same token does not cost a request each time. */
export interface IntrospectionCacheOptions {
  /**
   * The most answers kept: up to this many active tokens, and as many refused ones. When full, the
   * oldest entry makes room. Default: `10000`.
   */
  readonly maxEntries?: number
  /**
   * The longest an active token's answer is reused, as a {@link Duration} (milliseconds or a string
   * like `'1m'`). An entry never outlives the token's `exp`. A token revoked at the authorization
   * server is still accepted here until its entry ends, so this is the delay you accept for
   * revocations (the `revocationStore` takes effect at once). Refused tokens are kept
   * `min(maxAge, 10s)`. Default: `'1m'`.
   */
  readonly maxAge?: Duration
}

/** Options of `createIntrospectionVerifier()`. */
export interface IntrospectionVerifierOptions {
  /**
   * The authorization server's introspection endpoint (its `introspection_endpoint` metadata), e.g.
   * `'https://auth.example.com/oauth2/introspect'`. `https:` is required, except for
   * `http://localhost`, `127.0.0.1` and `[::1]` in development: the token and the client secret
   * travel in the request. Required.
   */
  readonly endpoint: string | URL
  /**
   * This API's client id at the authorization server, for HTTP Basic authentication
   * (`client_secret_basic`, RFC 7662 §2.1); with `clientSecret`. Either these two or `headers`
   * must authenticate the calls.
   */
  readonly clientId?: string
  /** The client secret going with `clientId`. */
  readonly clientSecret?: string
  /**
   * Extra request headers, for an endpoint that authenticates callers otherwise, e.g.
   * `{ authorization: 'Bearer <a token of this API>' }`. `authorization` cannot be combined with
   * `clientId`; `accept`, `content-type`, `content-length`, `host` and `transfer-encoding` are set
   * by the request itself and refused. Default: none.
   */
  readonly headers?: Readonly<Record<string, string>>
  /**
   * The expected `iss` member of the response; several for a migration. When set, a response
   * without it or with another is refused. Default: not checked (many endpoints omit `iss`).
   */
  readonly issuer?: string | readonly string[]
  /**
   * This API's identifier: when set, the response's `aud` (a string or a list) must contain one of
   * these. Set it when the authorization server issues tokens for several APIs, or a token meant
   * for another API would be accepted here. Default: not checked.
   */
  readonly audience?: string | readonly string[]
  /**
   * How long one introspection call may take, from sending the request to the end of the response
   * body, as a {@link Duration}, at most `'30s'`. Default: `'2s'`.
   */
  readonly timeout?: Duration
  /** The answer cache, or `false` to ask the endpoint on every verification. Default: `{}` (its defaults). */
  readonly cache?: IntrospectionCacheOptions | false
  /**
   * How far apart the authorization server's clock and ours may be when checking `exp` and `nbf`,
   * as a {@link Duration}, at most `'5m'`. Default: `'30s'`.
   */
  readonly clockTolerance?: Duration
  /**
   * Where revoked token ids (`jti`) are looked up, on every verification (cache hits included).
   * With a store, responses without `jti` are refused. Default: none.
   */
  readonly revocationStore?: RevocationStore
  /** The `fetch` to call the endpoint with. Default: the global `fetch`, looked up at each call. */
  readonly fetch?: IntrospectionFetch
  /**
   * The clock for `exp`, `nbf` and the cache. Default: `Date.now`. The `bearer()` guard passes the
   * pipeline's clock instead.
   */
  readonly clock?: Clock
}

/** The cache's settings, after the options were checked. */
export interface IntrospectionCachePolicy {
  readonly maxEntries: number
  /** ms an active answer is kept at most. */
  readonly maxAge: number
  /** ms a refused answer is kept. */
  readonly refusedMaxAge: number
}

/** An introspection verifier's options, checked and precomputed. */
export interface IntrospectionPolicy {
  readonly request: IntrospectionRequestPolicy
  readonly response: IntrospectionResponsePolicy
  readonly cache: IntrospectionCachePolicy | undefined
  readonly revocationStore: RevocationStore | undefined
  readonly clock: Clock
}

/** How long a refused token's answer is kept at most, in ms. */
export const refusedAnswerMaxAge = 10_000

const defaultTimeout = 2000
const maxTimeout = 30_000
const defaultClockTolerance = 30_000
const maxClockTolerance = 300_000
const loopbackHosts = new Set(['localhost', '127.0.0.1', '[::1]'])
const requestOwnedHeaders = new Set(['accept', 'content-type', 'content-length', 'host', 'transfer-encoding'])

const durationSchema = v.optional(
  v.union([v.number(), v.string()], "Expected milliseconds as a number or a duration such as '30s'"),
)

const optionsSchema = v.strictObject({
  endpoint: v.optional(
    v.union([v.string(), v.instance(URL)], 'Expected the endpoint URL as a string or URL'),
  ),
  clientId: v.optional(v.string()),
  clientSecret: v.optional(v.string()),
  headers: v.optional(v.record(v.string(), v.string())),
  issuer: v.optional(v.unknown()),
  audience: v.optional(v.unknown()),
  timeout: durationSchema,
  cache: v.optional(
    v.custom<IntrospectionCacheOptions | false>(
      (x) => x === false || (typeof x === 'object' && x !== null && !Array.isArray(x)),
      'Expected false or { maxEntries?, maxAge? }',
    ),
  ),
  clockTolerance: durationSchema,
  revocationStore: v.optional(
    v.custom<RevocationStore>(
      (x) =>
        typeof (x as RevocationStore | null)?.isRevoked === 'function' &&
        typeof (x as RevocationStore).revoke === 'function',
      'Expected a RevocationStore (an object with revoke and isRevoked), such as memoryRevocationStore()',
    ),
  ),
  fetch: v.optional(
    v.custom<IntrospectionFetch>((x) => typeof x === 'function', 'Expected a fetch function'),
  ),
  clock: v.optional(
    v.custom<Clock>((x) => typeof (x as Clock | null)?.now === 'function', 'Expected { now(): number }'),
  ),
})

const cacheSchema = v.strictObject({
  maxEntries: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(10_000_000))),
  maxAge: durationSchema,
})

function resolveEndpoint(path: string, value: string | URL | undefined): URL {
  if (value === undefined)
    configError(
      path,
      "is required: the authorization server's introspection endpoint, e.g. 'https://auth.example.com/oauth2/introspect'.",
    )
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return configError(path, `is not a URL: ${JSON.stringify(String(value))}.`)
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopbackHosts.has(url.hostname)))
    configError(
      path,
      'must be an https: URL (plain http: is only accepted for localhost): tokens and the client secret would travel in the clear.',
    )
  if (url.username !== '' || url.password !== '')
    configError(path, 'must not carry credentials in the URL: use clientId and clientSecret.')
  return url
}

function resolveHeaders(
  where: string,
  parsed: v.InferOutput<typeof optionsSchema>,
): Readonly<Record<string, string>> {
  const { clientId, clientSecret } = parsed
  const out = new Headers({ accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' })
  if (clientId !== undefined || clientSecret !== undefined) {
    if (clientId === undefined || clientId === '')
      configError(`${where}.clientId`, 'is required with clientSecret: set the client id of this API.')
    if (clientSecret === undefined || clientSecret === '')
      configError(`${where}.clientSecret`, 'is required with clientId: set the secret of that client.')
    out.set('authorization', basicAuthorization(clientId, clientSecret))
  }
  const extra = Object.entries(parsed.headers ?? {})
  for (const [name, value] of extra) {
    // The value is never quoted: it is likely a credential.
    try {
      new Headers([[name, value]])
    } catch {
      configError(
        `${where}.headers`,
        `has an invalid name ${JSON.stringify(name)} or an invalid value for it (no line breaks or control characters).`,
      )
    }
    const lower = name.toLowerCase()
    if (requestOwnedHeaders.has(lower))
      configError(
        `${where}.headers`,
        `cannot set ${JSON.stringify(lower)}: the introspection request sets it.`,
      )
    if (lower === 'authorization' && clientId !== undefined)
      configError(
        `${where}.headers`,
        'cannot set "authorization" together with clientId: pick one way to authenticate.',
      )
    if (out.has(lower))
      configError(`${where}.headers`, `names ${JSON.stringify(lower)} twice (header names ignore case).`)
    out.set(lower, value)
  }
  if (!out.has('authorization') && extra.length === 0)
    configError(
      where,
      'needs client authentication (RFC 7662 §2.1): clientId and clientSecret, or headers such as { authorization: "Bearer …" }.',
    )
  return Object.freeze(Object.fromEntries(out))
}

function resolveIdentifiers(path: string, value: unknown, example: string): readonly string[] | undefined {
  if (value === undefined) return undefined
  if (typeof value === 'string') {
    if (value === '') configError(path, `is empty: leave it out, or set it, e.g. '${example}'.`)
    return [value]
  }
  if (!Array.isArray(value) || value.length === 0)
    configError(path, `Expected a non-empty string or list of strings, e.g. '${example}'.`)
  return value.map((item: unknown, i) => {
    if (typeof item !== 'string' || item === '')
      configError(`${path}[${i}]`, `Expected a non-empty string, e.g. '${example}'.`)
    return item
  })
}

function resolveDuration(
  path: string,
  value: unknown,
  fallback: number,
  max?: number,
  maxText?: string,
): number {
  const ms = value === undefined ? fallback : parseDuration(path, value)
  if (max !== undefined && ms > max)
    configError(path, `must be at most ${maxText}; got ${JSON.stringify(value)}.`)
  return ms
}

function resolveCache(where: string, value: IntrospectionCacheOptions | false | undefined) {
  if (value === false) return undefined
  const path = `${where}.cache`
  const parsed = parseOptions(path, cacheSchema, value)
  const maxAge = resolveDuration(`${path}.maxAge`, parsed.maxAge, 60_000)
  if (maxAge === 0)
    configError(`${path}.maxAge`, 'must be more than 0: to turn the cache off, set cache: false.')
  return {
    maxEntries: parsed.maxEntries ?? 10_000,
    maxAge,
    refusedMaxAge: Math.min(maxAge, refusedAnswerMaxAge),
  }
}

/** Checks `createIntrospectionVerifier()`'s options and precomputes what each verification needs. */
export function resolveIntrospectionPolicy(where: string, options: unknown): IntrospectionPolicy {
  const parsed = parseOptions(where, optionsSchema, options)
  const endpoint = resolveEndpoint(`${where}.endpoint`, parsed.endpoint)
  const headers = resolveHeaders(where, parsed)
  const timeout = resolveDuration(`${where}.timeout`, parsed.timeout, defaultTimeout, maxTimeout, "'30s'")
  if (timeout === 0) configError(`${where}.timeout`, 'must be more than 0.')
  // The global one is looked up at each call, so that a fetch patched after start-up (a mock, a tracer) is used.
  const send: IntrospectionFetch = parsed.fetch ?? ((url, init) => globalThis.fetch(url, init))
  return {
    request: { endpoint, headers, timeout, fetch: send },
    response: {
      issuers: resolveIdentifiers(`${where}.issuer`, parsed.issuer, 'https://auth.example.com/'),
      audiences: resolveIdentifiers(`${where}.audience`, parsed.audience, 'https://api.example.com'),
      clockTolerance: resolveDuration(
        `${where}.clockTolerance`,
        parsed.clockTolerance,
        defaultClockTolerance,
        maxClockTolerance,
        "'5m': a larger tolerance keeps expired tokens alive",
      ),
      requireTokenId: parsed.revocationStore !== undefined,
      defaultIssuer: endpoint.origin,
    },
    cache: resolveCache(where, parsed.cache),
    revocationStore: parsed.revocationStore,
    clock: parsed.clock ?? systemClock,
  }
}
