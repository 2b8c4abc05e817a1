import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { headers } from '../headers/index.js'
import { createSecurity, deny, type Guard } from '../pipeline/index.js'
import { catalogProblem } from '../problem/index.js'
import { fromWebRequest, type SecurityRequest } from '../request/index.js'
import { cors } from './index.js'

const app = 'https://app.example.com'
const exposed =
  'RateLimit, RateLimit-Policy, Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset'
const preflightVary = 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers'

function request(method: string, fields: Record<string, string> = {}, path = '/v1/notes'): SecurityRequest {
  return fromWebRequest(new Request(`https://api.example.com${path}`, { method, headers: fields }))
}

function preflight(origin: string, method: string, requested?: string): SecurityRequest {
  return request('OPTIONS', {
    origin,
    'access-control-request-method': method,
    ...(requested !== undefined && { 'access-control-request-headers': requested }),
  })
}

async function protect(guards: readonly Guard[], req: SecurityRequest, routeGuards: readonly Guard[] = []) {
  return createSecurity({ guards }).protect(req, { guards: routeGuards })
}

const withCredentials = cors({ origins: [app], credentials: true })

const denied = (detail: string) =>
  JSON.stringify({ detail, type: 'urn:sec:problem:cors-denied', title: 'CORS Request Denied', status: 403 })

const deniedHeaders = (vary = preflightVary) => ({
  'cache-control': 'no-store',
  'content-type': 'application/problem+json',
  vary,
})

describe('cors on actual requests', () => {
  it('lets an allowed origin read the response, with credentials and the exposed headers', async () => {
    const outcome = await protect([withCredentials], request('POST', { origin: app }))
    expect(outcome.verdict).toBe('allow')
    expect(outcome.response).toBeUndefined()
    expect(Object.fromEntries(outcome.headers)).toEqual({
      'access-control-allow-origin': app,
      'access-control-allow-credentials': 'true',
      'access-control-expose-headers': exposed,
      vary: 'Origin',
    })
  })

  it('sends no CORS header to another origin, and lets the request go on', async () => {
    const outcome = await protect([withCredentials], request('POST', { origin: 'https://evil.example.net' }))
    expect(outcome.verdict).toBe('allow')
    expect(outcome.response).toBeUndefined()
    expect(Object.fromEntries(outcome.headers)).toEqual({ vary: 'Origin' })
  })

  it('sends no CORS header without Origin, but still varies on it for caches', async () => {
    const outcome = await protect([withCredentials], request('GET'))
    expect(outcome.response).toBeUndefined()
    expect(Object.fromEntries(outcome.headers)).toEqual({ vary: 'Origin' })
  })

  it("answers '*' to every origin without credentials, and does not vary", async () => {
    const guard = cors({ origins: '*', exposedHeaders: [] })
    const fromPage = await protect([guard], request('GET', { origin: 'https://anyone.example.org' }))
    expect(Object.fromEntries(fromPage.headers)).toEqual({ 'access-control-allow-origin': '*' })
    const fromSandbox = await protect([guard], request('GET', { origin: 'null' }))
    expect(Object.fromEntries(fromSandbox.headers)).toEqual({ 'access-control-allow-origin': '*' })
    const withoutOrigin = await protect([guard], request('GET'))
    expect(Object.fromEntries(withoutOrigin.headers)).toEqual({})
  })

  it('treats OPTIONS without Access-Control-Request-Method as an actual request', async () => {
    const outcome = await protect([withCredentials], request('OPTIONS', { origin: app }))
    expect(outcome.response).toBeUndefined()
    expect(outcome.headers.get('access-control-allow-origin')).toBe(app)
    expect(outcome.headers.get('access-control-allow-methods')).toBeNull()
  })

  it('matches anchored patterns on well-formed origins only', async () => {
    const guard = cors({ origins: [/^https:\/\/[a-z0-9-]+\.preview\.example\.com$/] })
    const allowed = 'https://pr-42.preview.example.com'
    const ok = await protect([guard], request('GET', { origin: allowed }))
    expect(ok.headers.get('access-control-allow-origin')).toBe(allowed)
    for (const origin of [
      'https://pr-42.preview.example.com.evil.test',
      'null',
      'HTTPS://PR-42.PREVIEW.EXAMPLE.COM',
    ]) {
      const outcome = await protect([guard], request('GET', { origin }))
      expect(Object.fromEntries(outcome.headers)).toEqual({ vary: 'Origin' })
    }
  })

  it("allows Origin: null only when 'null' is listed", async () => {
    const listed = await protect([cors({ origins: ['null'] })], request('GET', { origin: 'null' }))
    expect(listed.headers.get('access-control-allow-origin')).toBe('null')
    const unlisted = await protect([withCredentials], request('GET', { origin: 'null' }))
    expect(unlisted.headers.get('access-control-allow-origin')).toBeNull()
  })

  it('compares against the normalized form of the configured origins', async () => {
    const guard = cors({
      origins: ['HTTPS://App.Example.COM:443', 'http://localhost:5173', 'https://bücher.example'],
    })
    for (const origin of [app, 'http://localhost:5173', 'https://xn--bcher-kva.example']) {
      const outcome = await protect([guard], request('GET', { origin }))
      expect(outcome.headers.get('access-control-allow-origin')).toBe(origin)
    }
    const otherPort = await protect([guard], request('GET', { origin: 'http://localhost:5174' }))
    expect(otherPort.headers.get('access-control-allow-origin')).toBeNull()
  })

  it('appends to Vary without clobbering or repeating', async () => {
    const setVary = (value: string): Guard => ({
      name: 'vary',
      check: (ctx) => void ctx.responseHeaders.set('vary', value),
    })
    const appended = await protect(
      [setVary('Accept-Encoding'), withCredentials],
      request('GET', { origin: app }),
    )
    expect(appended.headers.get('vary')).toBe('Accept-Encoding, Origin')
    const present = await protect(
      [setVary('origin, Accept'), withCredentials],
      request('GET', { origin: app }),
    )
    expect(present.headers.get('vary')).toBe('origin, Accept')
  })

  it('puts its headers on the problem response of an earlier guard, so the page can read it', async () => {
    const limited: Guard = { name: 'limit', check: () => deny(catalogProblem('body-too-large')) }
    const outcome = await protect(
      [headers('api'), limited, withCredentials],
      request('POST', { origin: app }),
    )
    expect(outcome.response?.status).toBe(413)
    const sent = Object.fromEntries(outcome.response?.headers ?? [])
    expect(sent).toMatchObject({
      'access-control-allow-origin': app,
      'access-control-allow-credentials': 'true',
      'access-control-expose-headers': exposed,
      vary: 'Origin',
      'content-type': 'application/problem+json',
    })
  })

  it("lets a route's cors guard replace the app's answer", async () => {
    const partner = 'https://partner.example.org'
    const route = cors({ origins: [partner], exposedHeaders: ['X-Request-Id'] })
    const fromPartner = await protect([withCredentials], request('GET', { origin: partner }), [route])
    expect(Object.fromEntries(fromPartner.headers)).toEqual({
      'access-control-allow-origin': partner,
      'access-control-expose-headers': 'X-Request-Id',
      vary: 'Origin',
    })
    const fromApp = await protect([withCredentials], request('GET', { origin: app }), [route])
    expect(Object.fromEntries(fromApp.headers)).toEqual({ vary: 'Origin' })
  })
})

describe('cors on preflights', () => {
  it('answers an allowed preflight with 204 and the precomputed lists', async () => {
    const outcome = await protect([withCredentials], preflight(app, 'POST', 'content-type,authorization'))
    expect(outcome.verdict).toBe('allow')
    expect(outcome.reason).toBe('cors-preflight')
    expect(outcome.guard).toBe('cors')
    expect(outcome.response?.status).toBe(204)
    expect(outcome.response?.body).toBeNull()
    expect(Object.fromEntries(outcome.response?.headers ?? [])).toEqual({
      'access-control-allow-origin': app,
      'access-control-allow-credentials': 'true',
      'access-control-allow-methods': 'GET, HEAD, POST',
      'access-control-allow-headers': 'Content-Type, Authorization',
      'access-control-max-age': '600',
      vary: preflightVary,
    })
  })

  it('accepts header names in any case, with spaces, tabs and empty elements', async () => {
    for (const requested of ['Content-Type , \tAUTHORIZATION', 'content-type,,authorization', '', ' , ']) {
      const outcome = await protect([withCredentials], preflight(app, 'GET', requested))
      expect(outcome.response?.status).toBe(204)
    }
  })

  it('carries the configured methods, headers and max age', async () => {
    const guard = cors({
      origins: '*',
      methods: ['get', 'PATCH', 'delete', 'PURGE'],
      allowedHeaders: ['X-Api-Key', 'x-api-key', 'If-Match'],
      maxAge: '2h',
    })
    const outcome = await protect([guard], preflight('https://anyone.example.org', 'PURGE', 'if-match'))
    expect(Object.fromEntries(outcome.response?.headers ?? [])).toEqual({
      'access-control-allow-origin': '*',
      'access-control-allow-methods': 'GET, PATCH, DELETE, PURGE',
      'access-control-allow-headers': 'X-Api-Key, If-Match',
      'access-control-max-age': '7200',
      vary: 'Access-Control-Request-Method, Access-Control-Request-Headers',
    })
  })

  it.each([
    [
      'another origin',
      preflight('https://evil.example.net', 'POST'),
      'This origin may not make cross-origin requests here.',
    ],
    ['Origin: null', preflight('null', 'GET'), 'This origin may not make cross-origin requests here.'],
    [
      'a method not listed',
      preflight(app, 'DELETE'),
      'The requested method is not allowed in cross-origin requests.',
    ],
    [
      'a method in another case',
      preflight(app, 'post'),
      'The requested method is not allowed in cross-origin requests.',
    ],
    [
      'a header not listed',
      preflight(app, 'POST', 'content-type,x-api-key'),
      'A requested header is not allowed in cross-origin requests.',
    ],
    [
      'a malformed header list',
      preflight(app, 'POST', 'content-type;authorization'),
      'Access-Control-Request-Headers is not a list of header names.',
    ],
    [
      'a quoted header name',
      preflight(app, 'POST', '"content-type"'),
      'Access-Control-Request-Headers is not a list of header names.',
    ],
  ])('refuses %s with a 403 problem and no Access-Control-* header', async (_, req, detail) => {
    const outcome = await protect([withCredentials], req)
    expect(outcome.verdict).toBe('deny')
    expect(outcome.reason).toBe('cors-denied')
    expect(outcome.response?.status).toBe(403)
    expect(outcome.response?.body).toBe(denied(detail))
    expect(Object.fromEntries(outcome.response?.headers ?? [])).toEqual(deniedHeaders())
  })

  it("lets a route's cors guard narrow the app's preflight answer, not widen a refusal", async () => {
    const partner = 'https://partner.example.org'
    const route = cors({ origins: [partner] })
    const narrowed = await protect([withCredentials], preflight(app, 'POST'), [route])
    expect(narrowed.response?.status).toBe(204)
    expect(Object.fromEntries(narrowed.response?.headers ?? [])).toEqual({ vary: preflightVary })
    const refused = await protect([withCredentials], preflight(partner, 'POST'), [route])
    expect(refused.response?.status).toBe(403)
    expect(Object.fromEntries(refused.response?.headers ?? [])).toEqual(deniedHeaders())
    const replaced = await protect([cors({ origins: [app, partner] })], preflight(partner, 'POST'), [route])
    expect(replaced.response?.status).toBe(204)
    expect(Object.fromEntries(replaced.response?.headers ?? [])).toEqual({
      'access-control-allow-origin': partner,
      'access-control-allow-methods': 'GET, HEAD, POST',
      'access-control-allow-headers': 'Content-Type, Authorization',
      'access-control-max-age': '600',
      vary: preflightVary,
    })
  })

  it('keeps the security headers on preflight answers and refusals', async () => {
    const guards = [headers('api'), withCredentials]
    const answered = await protect(guards, preflight(app, 'POST'))
    expect(answered.response?.headers.get('x-content-type-options')).toBe('nosniff')
    const refused = await protect(guards, preflight('https://evil.example.net', 'POST'))
    expect(refused.response?.headers.get('x-content-type-options')).toBe('nosniff')
    expect(
      [...(refused.response?.headers.keys() ?? [])].filter((name) => name.startsWith('access-control-')),
    ).toEqual([])
  })
})

describe('cors with arbitrary input', () => {
  const listed = new Set([app, 'http://localhost:5173'])
  const pattern = /^https:\/\/[a-z0-9-]+\.preview\.example\.com$/
  const guard = cors({
    origins: [...listed, pattern],
    credentials: true,
    allowedHeaders: ['Content-Type', 'X-Api-Key'],
  })
  const security = createSecurity({ guards: [guard] })
  const fields = (entries: Record<string, string>): SecurityRequest['headers'] => ({
    get: (name) => entries[name.toLowerCase()] ?? null,
    getAll: (name) =>
      entries[name.toLowerCase()] === undefined ? [] : [entries[name.toLowerCase()] as string],
    has: (name) => entries[name.toLowerCase()] !== undefined,
  })
  const fake = (method: string, entries: Record<string, string>): SecurityRequest => ({
    method,
    target: '/v1/notes',
    headers: fields(entries),
    remoteAddress: '203.0.113.7',
    encrypted: true,
    body: async () => new Uint8Array(0),
  })
  const origins = fc.oneof(
    fc.string({ unit: 'binary' }),
    fc.constantFrom(app, 'null', 'https://pr-1.preview.example.com', 'http://localhost:5173'),
    fc.tuple(fc.constantFrom(app, 'https://x.preview.example.com'), fc.string()).map(([a, b]) => a + b),
    fc.webUrl().map((url) => new URL(url).origin),
    fc
      .tuple(fc.constantFrom(app, 'https://pr-1.preview.example.com'), fc.infiniteStream(fc.boolean()))
      .map(([origin, upper]) =>
        [...origin].map((char) => (upper.next().value ? char.toUpperCase() : char)).join(''),
      ),
  )
  const isListed = (origin: string) => listed.has(origin) || pattern.test(origin)

  it('never throws, and never allows an origin that is not listed', async () => {
    await fc.assert(
      fc.asyncProperty(origins, fc.constantFrom('GET', 'POST', 'OPTIONS'), async (origin, method) => {
        const outcome = await security.protect(fake(method, { origin }))
        const allowOrigin = (outcome.response?.headers ?? outcome.headers).get('access-control-allow-origin')
        expect(outcome.response?.status ?? 200).not.toBe(500)
        if (allowOrigin !== null) {
          expect(allowOrigin).toBe(origin)
          expect(isListed(origin)).toBe(true)
        } else expect(isListed(origin)).toBe(false)
      }),
    )
  })

  it('answers any Access-Control-Request-Headers with a 204 or a 403 without CORS headers', async () => {
    const names = fc.constantFrom(
      'content-type',
      'X-API-KEY',
      'authorization',
      'x-other',
      '',
      ' ',
      '\t',
      '"a"',
      'a b',
    )
    const requested = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.array(names, { maxLength: 6 }).chain((parts) => fc.constantFrom(parts.join(','), parts.join(' , '))),
    )
    await fc.assert(
      fc.asyncProperty(requested, async (value) => {
        const outcome = await security.protect(
          fake('OPTIONS', {
            origin: app,
            'access-control-request-method': 'POST',
            'access-control-request-headers': value,
          }),
        )
        const response = outcome.response
        expect(response).toBeDefined()
        const elements = value.split(',').map((element) => element.replace(/^[ \t]+|[ \t]+$/g, ''))
        const acceptable = elements.every(
          (name) =>
            name === '' ||
            (/^[a-z-]+$/i.test(name) && ['content-type', 'x-api-key'].includes(name.toLowerCase())),
        )
        if (acceptable) {
          expect(response?.status).toBe(204)
          expect(response?.headers.get('access-control-allow-origin')).toBe(app)
        } else {
          expect(response?.status).toBe(403)
          expect(
            [...(response?.headers.keys() ?? [])].some((name) => name.startsWith('access-control-')),
          ).toBe(false)
        }
      }),
    )
  })
})
