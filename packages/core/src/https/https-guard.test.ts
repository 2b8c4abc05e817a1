import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { TrustProxy } from '../client-ip/index.js'
import { createSecurity, deny, type Guard, type Outcome } from '../pipeline/index.js'
import { catalogProblem } from '../problem/index.js'
import { fromWebRequest, type SecurityRequest } from '../request/index.js'
import { type HstsOptions, type HttpsOptions, https } from './index.js'

interface Sent {
  readonly method?: string
  readonly url?: string
  readonly remoteAddress?: string
  readonly encrypted?: boolean
  readonly headers?: Record<string, string>
}

const request = ({
  method = 'GET',
  url = 'http://api.example.com/v1/notes?page=2',
  remoteAddress = '192.0.2.10',
  encrypted,
  headers,
}: Sent) =>
  fromWebRequest(new Request(url, { method, headers: { host: 'api.example.com', ...headers } }), {
    remoteAddress,
    ...(encrypted !== undefined && { encrypted }),
  })

const protect = (
  options: HttpsOptions | undefined,
  sent: Sent,
  trustProxy: TrustProxy = false,
  more: Guard[] = [],
) => createSecurity({ guards: [https(options), ...more], trustProxy }).protect(request(sent))

const headersOf = (outcome: Outcome) => Object.fromEntries(outcome.response?.headers ?? outcome.headers)

const redirectBody = {
  detail: 'This API is served over HTTPS only. Repeat the request at the Location given.',
  type: 'urn:sec:problem:https-redirect',
  title: 'HTTPS Required',
  status: 308,
}
const requiredBody = {
  detail: 'This API is served over HTTPS only. Send the request over HTTPS.',
  type: 'urn:sec:problem:https-required',
  title: 'HTTPS Required',
  status: 403,
}

function expectRedirect(outcome: Outcome, location: string): void {
  expect(outcome.verdict).toBe('deny')
  expect(outcome.reason).toBe('https-redirect')
  expect(outcome.response?.status).toBe(308)
  expect(headersOf(outcome)).toEqual({
    'cache-control': 'no-store',
    'content-type': 'application/problem+json',
    location,
  })
  expect(outcome.response?.body).toBe(JSON.stringify(redirectBody))
}

function expectRefused(outcome: Outcome): void {
  expect(outcome.verdict).toBe('deny')
  expect(outcome.reason).toBe('https-required')
  expect(outcome.response?.status).toBe(403)
  expect(headersOf(outcome)).toEqual({
    'cache-control': 'no-store',
    'content-type': 'application/problem+json',
  })
  expect(outcome.response?.body).toBe(JSON.stringify(requiredBody))
}

describe('https over TLS', () => {
  it('lets the request through with the default HSTS policy', async () => {
    const outcome = await protect(undefined, { encrypted: true })
    expect(outcome.verdict).toBe('allow')
    expect(outcome.response).toBeUndefined()
    expect(headersOf(outcome)).toEqual({ 'strict-transport-security': 'max-age=31536000; includeSubDomains' })
  })

  it('builds the policy from its options', async () => {
    const header = async (hsts: false | HstsOptions) =>
      headersOf(await protect({ hsts }, { encrypted: true }))['strict-transport-security']
    expect(await header({ maxAge: '2y', preload: true })).toBe('max-age=63072000; includeSubDomains; preload')
    expect(await header({ maxAge: '400d', includeSubDomains: false })).toBe('max-age=34560000')
    expect(await header({ maxAge: 31_536_000_999 })).toBe('max-age=31536000; includeSubDomains')
    expect(await header({ maxAge: 0 })).toBe('max-age=0; includeSubDomains')
    expect(await header({})).toBe('max-age=31536000; includeSubDomains')
    expect(await header(false)).toBeUndefined()
  })

  it('trusts the scheme a trusted proxy reports, and only that', async () => {
    const proxied = { remoteAddress: '127.0.0.1', headers: { 'x-forwarded-proto': 'https' } }
    expect(headersOf(await protect(undefined, proxied, ['loopback']))).toEqual({
      'strict-transport-security': 'max-age=31536000; includeSubDomains',
    })
    expectRedirect(await protect(undefined, proxied), 'https://api.example.com/v1/notes?page=2')
    expectRedirect(
      await protect(undefined, { ...proxied, remoteAddress: '203.0.113.5' }, ['loopback']),
      'https://api.example.com/v1/notes?page=2',
    )
  })

  it('puts HSTS on the problem of a guard that denied before it ran', async () => {
    const denyFirst: Guard = { name: 'first', check: () => deny(catalogProblem('cors-denied')) }
    const security = createSecurity({ guards: [denyFirst, https()] })
    const overTls = await security.protect(request({ encrypted: true }))
    expect(overTls.response?.status).toBe(403)
    expect(headersOf(overTls)).toEqual({
      'cache-control': 'no-store',
      'content-type': 'application/problem+json',
      'strict-transport-security': 'max-age=31536000; includeSubDomains',
    })
    const plain = await security.protect(request({}))
    expect(plain.reason).toBe('cors-denied')
    expect(headersOf(plain)).toEqual({
      'cache-control': 'no-store',
      'content-type': 'application/problem+json',
    })
  })
})

describe('https over plain HTTP', () => {
  it('redirects GET and HEAD to the same target over HTTPS, without HSTS', async () => {
    expectRedirect(await protect(undefined, {}), 'https://api.example.com/v1/notes?page=2')
    expectRedirect(await protect(undefined, { method: 'HEAD' }), 'https://api.example.com/v1/notes?page=2')
  })

  it.each(['POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'])(
    'refuses %s, whose body already crossed in clear',
    async (method) => {
      expectRefused(await protect(undefined, { method }))
    },
  )

  it('stops the request before later guards run', async () => {
    const seen: string[] = []
    const later: Guard = { name: 'later', check: () => void seen.push('later') }
    expectRefused(await protect(undefined, { method: 'POST' }, false, [later]))
    expect(seen).toEqual([])
  })

  it('drops the port of the request host', async () => {
    const outcome = await protect(undefined, { headers: { host: 'API.example.com:8080' } })
    expectRedirect(outcome, 'https://api.example.com/v1/notes?page=2')
  })

  it('redirects IPv6 literal hosts', async () => {
    expectRedirect(
      await protect(undefined, { headers: { host: '[2001:DB8::1]:8080' } }),
      'https://[2001:db8::1]/v1/notes?page=2',
    )
  })

  it('refuses instead of redirecting when the host is missing or invalid', async () => {
    const noHost: SecurityRequest = {
      ...request({}),
      headers: { get: () => null, getAll: () => [], has: () => false },
    }
    expectRefused(await createSecurity({ guards: [https()] }).protect(noHost))
    expectRefused(await protect(undefined, { headers: { host: 'evil.example/@api.example.com' } }))
    expectRefused(await protect(undefined, { headers: { host: 'api.example.com, evil.example' } }))
  })

  it('redirects only to allowed hosts', async () => {
    const options = { allowedHosts: ['api.example.com', 'API.example.org'] }
    expectRedirect(
      await protect(options, { headers: { host: 'api.example.org:80' } }),
      'https://api.example.org/v1/notes?page=2',
    )
    expectRefused(await protect(options, { headers: { host: 'evil.example' } }))
    const forwarded = { remoteAddress: '127.0.0.1', headers: { 'x-forwarded-host': 'evil.example' } }
    expectRefused(await protect(options, forwarded, ['loopback']))
  })

  it('always redirects to the canonical host', async () => {
    const options = { canonicalHost: 'WWW.example.com:8443' }
    expectRedirect(
      await protect(options, { headers: { host: 'evil.example' } }),
      'https://www.example.com:8443/v1/notes?page=2',
    )
  })

  it('refuses every method when redirects are off', async () => {
    expectRefused(await protect({ redirect: false }, {}))
    expectRefused(await protect({ redirect: false }, { method: 'HEAD' }))
  })

  it('encodes a target that would not fit in a header, and refuses a target not in origin form', async () => {
    const security = createSecurity({ guards: [https()] })
    const base = request({})
    const odd = await security.protect({ ...base, target: '/caf\u00e9 x?q=\u{1f600}\u0001' })
    expectRedirect(odd, 'https://api.example.com/caf%C3%A9%20x?q=%F0%9F%98%80%01')
    expectRefused(await security.protect({ ...base, target: '*' }))
    expectRefused(await security.protect({ ...base, target: 'http://evil.example/' }))
  })

  it('redirects to the request host only, whatever Host it is sent', () => {
    const security = createSecurity({ guards: [https({ allowedHosts: ['api.example.com'] })] })
    return fc.assert(
      fc.asyncProperty(
        fc.string({ unit: fc.constantFrom(...'api.example.com:8/@\\[]EVIL-_ '), maxLength: 30 }),
        async (host) => {
          const base = request({})
          const outcome = await security.protect({
            ...base,
            headers: { get: () => host, getAll: () => [host], has: () => true },
          })
          expect([308, 403]).toContain(outcome.response?.status)
          const location = outcome.response?.headers.get('location')
          if (location !== null && location !== undefined) {
            expect(location).toBe('https://api.example.com/v1/notes?page=2')
          }
        },
      ),
      { numRuns: 300 },
    )
  })
})

describe('https with allowDirectLoopback', () => {
  const options = { allowDirectLoopback: true }

  it.each(['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1'])(
    'serves plain HTTP to a direct request from %s',
    async (remoteAddress) => {
      const outcome = await protect(options, { remoteAddress, method: 'POST' })
      expect(outcome.verdict).toBe('allow')
      expect(outcome.response).toBeUndefined()
      expect(headersOf(outcome)).toEqual({})
    },
  )

  it('still redirects requests from other peers', async () => {
    expectRedirect(
      await protect(options, { remoteAddress: '192.0.2.1' }),
      'https://api.example.com/v1/notes?page=2',
    )
    expectRedirect(
      await protect(options, { remoteAddress: '10.0.0.1' }),
      'https://api.example.com/v1/notes?page=2',
    )
    const throughOneHop = { remoteAddress: '127.0.0.1', headers: { 'x-forwarded-for': '203.0.113.7' } }
    expectRedirect(await protect(options, throughOneHop, 1), 'https://api.example.com/v1/notes?page=2')
  })

  it('ignores forwarding headers from a peer that is not a trusted proxy, as the client resolver does', async () => {
    const forged = {
      'x-forwarded-for': '203.0.113.7',
      'x-forwarded-proto': 'http',
      'x-forwarded-host': 'evil.example',
      forwarded: 'for=203.0.113.7;proto=http',
    }
    const outcome = await protect(options, { remoteAddress: '127.0.0.1', headers: forged })
    expect(outcome.verdict).toBe('allow')
    expect(outcome.client).toEqual({
      ip: '127.0.0.1',
      ipKey: '127.0.0.1',
      protocol: 'http',
      host: 'api.example.com',
      viaProxy: false,
    })
  })

  it('redirects whatever a trusted loopback proxy forwards, even a malformed header', async () => {
    for (const name of ['x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'forwarded']) {
      const outcome = await protect(options, { remoteAddress: '127.0.0.1', headers: { [name]: 'x' } }, [
        'loopback',
      ])
      expect(outcome.reason, name).toBe('https-redirect')
    }
  })

  it('redirects a request a trusted proxy marks as plain HTTP', async () => {
    const outcome = await protect(
      options,
      {
        remoteAddress: '127.0.0.1',
        headers: { 'x-forwarded-proto': 'http', 'x-forwarded-for': '203.0.113.7' },
      },
      ['loopback'],
    )
    expectRedirect(outcome, 'https://api.example.com/v1/notes?page=2')
  })

  it('is off by default', async () => {
    expectRedirect(
      await protect(undefined, { remoteAddress: '127.0.0.1' }),
      'https://api.example.com/v1/notes?page=2',
    )
  })
})

describe('https options', () => {
  it.each([
    [{ redirects: true }, 'https.redirects: is not a known option.'],
    [{ redirect: 'yes' }, 'https.redirect: '],
    [
      { hsts: true },
      "https.hsts: must be false or an object such as { maxAge: '1y', includeSubDomains: true }; got true.",
    ],
    [{ hsts: { maxAge: '1y', subdomains: true } }, 'https.hsts.subdomains: is not a known option.'],
    [
      { hsts: { maxAge: '6m' } },
      'https.hsts.maxAge: must be at least one year (\'1y\'; a number is milliseconds, not seconds), or 0 only to withdraw a policy without preload; got "6m".',
    ],
    [{ hsts: { maxAge: 31_536_000 } }, 'https.hsts.maxAge: must be at least one year'],
    [{ hsts: { maxAge: '364d' } }, 'https.hsts.maxAge: must be at least one year'],
    [{ hsts: { maxAge: 0, preload: true } }, 'https.hsts.maxAge: must be at least one year'],
    [{ hsts: { maxAge: 1e300 } }, 'https.hsts.maxAge: must be at least one year'],
    [
      { hsts: { maxAge: '1 year' } },
      "https.hsts.maxAge: must be milliseconds as a number or a string like '500ms'",
    ],
    [{ hsts: { maxAge: -1 } }, 'https.hsts.maxAge: must be a finite, non-negative number of milliseconds'],
    [
      { hsts: { preload: true, includeSubDomains: false } },
      'https.hsts.preload: requires includeSubDomains: true, as the preload list does. Set it, or drop preload.',
    ],
    [
      { canonicalHost: 'https://api.example.com' },
      'https.canonicalHost: must be a host name or IP literal with an optional port',
    ],
    [{ canonicalHost: 'api.example.com/v1' }, 'https.canonicalHost: must be a host name'],
    [{ allowedHosts: [] }, 'https.allowedHosts: lists no host, so nothing could be redirected.'],
    [
      { allowedHosts: ['api.example.com', 'api.example.com:443'] },
      'https.allowedHosts[1]: must be a host name or IP literal without port',
    ],
    [{ allowedHosts: ['*.example.com'] }, 'https.allowedHosts[0]: must be a host name'],
    [
      { canonicalHost: 'a.example', allowedHosts: ['a.example'] },
      'https.allowedHosts: has no effect next to canonicalHost',
    ],
    [
      { redirect: false, canonicalHost: 'a.example' },
      'https.canonicalHost: only chooses where redirects go, and redirect is false.',
    ],
    [{ redirect: false, allowedHosts: ['a.example'] }, 'https.allowedHosts: only chooses where redirects go'],
    [{ allowDirectLoopback: 1 }, 'https.allowDirectLoopback: '],
  ])('refuses %j', (options, message) => {
    expect(() => https(options as never)).toThrowError(
      expect.objectContaining({ code: 'SEC_CONFIG', message: expect.stringContaining(message) }),
    )
  })

  it('is a named always-guard', () => {
    expect(https()).toMatchObject({ name: 'https', always: true })
  })
})
