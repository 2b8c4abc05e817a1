import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { SecConfigError } from '../errors/index.js'
import { createSecurity, deny, type Guard } from '../pipeline/index.js'
import { catalogProblem } from '../problem/index.js'
import { fromWebRequest } from '../request/index.js'
import { type HeadersOptions, headers } from './index.js'

const sevens = (bytes: Uint8Array<ArrayBuffer>) => bytes.fill(7)
const sevensNonce = 'BwcHBwcHBwcHBwcHBwcHBwcH'

async function run(guards: Guard[]) {
  return createSecurity({ guards }).protect(fromWebRequest(new Request('https://api.example.com/v1/notes')))
}

const permissionsPolicy =
  'accelerometer=(), bluetooth=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), hid=(), ' +
  'idle-detection=(), magnetometer=(), microphone=(), midi=(), payment=(), screen-wake-lock=(), serial=(), ' +
  'usb=(), xr-spatial-tracking=()'

const apiHeaders = {
  'cache-control': 'no-store',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy': permissionsPolicy,
  'referrer-policy': 'strict-origin-when-cross-origin',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
}

const webPolicy = (nonce: string) =>
  `default-src 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'; form-action 'self'; ` +
  `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'; style-src 'self' 'nonce-${nonce}'; img-src 'self' data:; ` +
  'upgrade-insecure-requests'

describe('headers', () => {
  it("sets the 'api' preset and asks to remove X-Powered-By and Server", async () => {
    const outcome = await run([headers()])
    expect(outcome.verdict).toBe('allow')
    expect(Object.fromEntries(outcome.headers)).toEqual(apiHeaders)
    expect(outcome.removeHeaders).toEqual(['x-powered-by', 'server'])
    expect(outcome.facts).toEqual({})
  })

  it('puts the same headers on a problem response of an earlier guard', async () => {
    const denyFirst: Guard = { name: 'deny', check: () => deny(catalogProblem('credentials-in-url')) }
    const outcome = await run([denyFirst, headers('api')])
    expect(outcome.response?.status).toBe(400)
    expect(Object.fromEntries(outcome.response?.headers ?? [])).toEqual({
      ...apiHeaders,
      'content-type': 'application/problem+json',
    })
    expect(outcome.removeHeaders).toEqual(['x-powered-by', 'server'])
  })

  it("sets the 'web' preset with a nonce in the policy and in facts.cspNonce", async () => {
    const outcome = await run([headers('web', { random: sevens })])
    const { 'cache-control': _, ...rest } = apiHeaders
    expect(Object.fromEntries(outcome.headers)).toEqual({
      ...rest,
      'content-security-policy': webPolicy(sevensNonce),
      'origin-agent-cluster': '?1',
    })
    expect(outcome.facts).toEqual({ cspNonce: sevensNonce })
  })

  it('draws a fresh 144-bit nonce for every request from crypto.getRandomValues by default', async () => {
    const guard = headers('web')
    const nonces = new Set<unknown>()
    for (let i = 0; i < 20; i++) {
      const outcome = await run([guard])
      const nonce = outcome.facts.cspNonce as string
      expect(nonce).toMatch(/^[A-Za-z0-9+/]{24}$/)
      expect(outcome.headers.get('content-security-policy')).toBe(webPolicy(nonce))
      nonces.add(nonce)
    }
    expect(nonces.size).toBe(20)
  })

  it('merges CSP directives over the preset, keeping its order, and appends new ones', async () => {
    const outcome = await run([
      headers('web', {
        random: sevens,
        contentSecurityPolicy: {
          imgSrc: ["'self'", 'https://images.example.com'],
          upgradeInsecureRequests: false,
          baseUri: false,
          connectSrc: ["'self'", 'https://api.example.com'],
          reportTo: 'csp',
        },
      }),
    ])
    expect(outcome.headers.get('content-security-policy')).toBe(
      "default-src 'self'; object-src 'none'; frame-ancestors 'none'; form-action 'self'; " +
        `script-src 'self' 'nonce-${sevensNonce}' 'strict-dynamic'; style-src 'self' 'nonce-${sevensNonce}'; ` +
        "img-src 'self' https://images.example.com; connect-src 'self' https://api.example.com; report-to csp",
    )
  })

  it('takes a policy string as written, with the nonce placeholder, and can report only', async () => {
    const outcome = await run([
      headers('api', {
        random: sevens,
        contentSecurityPolicy: "script-src 'nonce' 'strict-dynamic'; object-src 'none'",
        contentSecurityPolicyReportOnly: true,
      }),
    ])
    expect(outcome.headers.get('content-security-policy')).toBeNull()
    expect(outcome.headers.get('content-security-policy-report-only')).toBe(
      `script-src 'nonce-${sevensNonce}' 'strict-dynamic'; object-src 'none'`,
    )
    expect(outcome.facts).toEqual({ cspNonce: sevensNonce })
  })

  it('overrides each header with its option', async () => {
    const outcome = await run([
      headers('api', {
        crossOriginEmbedderPolicy: 'require-corp',
        crossOriginOpenerPolicy: 'same-origin-allow-popups',
        crossOriginResourcePolicy: 'cross-origin',
        originAgentCluster: '?1',
        permissionsPolicy: 'camera=(self), geolocation=(self "https://maps.example.com"), usb=*',
        referrerPolicy: 'no-referrer',
        cacheControl: 'private, max-age=60',
        xFrameOptions: 'SAMEORIGIN',
        xPermittedCrossDomainPolicies: 'master-only',
        xXssProtection: '1; mode=block',
        removeHeaders: ['X-AspNet-Version'],
      }),
    ])
    expect(Object.fromEntries(outcome.headers)).toEqual({
      'cache-control': 'private, max-age=60',
      'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
      'cross-origin-embedder-policy': 'require-corp',
      'cross-origin-opener-policy': 'same-origin-allow-popups',
      'cross-origin-resource-policy': 'cross-origin',
      'origin-agent-cluster': '?1',
      'permissions-policy': 'camera=(self), geolocation=(self "https://maps.example.com"), usb=*',
      'referrer-policy': 'no-referrer',
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'SAMEORIGIN',
      'x-permitted-cross-domain-policies': 'master-only',
      'x-xss-protection': '1; mode=block',
    })
    expect(outcome.removeHeaders).toEqual(['x-aspnet-version'])
  })

  it('sends nothing for a header set to false, and removes what an earlier headers guard set', async () => {
    const appLevel = headers('api')
    const routeLevel = headers('web', {
      random: sevens,
      contentSecurityPolicy: false,
      cacheControl: false,
      xFrameOptions: false,
      permissionsPolicy: false,
      removeHeaders: [],
    })
    const outcome = await run([appLevel, routeLevel])
    expect(Object.fromEntries(outcome.headers)).toEqual({
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-resource-policy': 'same-origin',
      'origin-agent-cluster': '?1',
      'referrer-policy': 'strict-origin-when-cross-origin',
      'x-content-type-options': 'nosniff',
      'x-permitted-cross-domain-policies': 'none',
      'x-xss-protection': '0',
    })
    expect(outcome.facts).toEqual({})
  })

  it.each<[string, unknown, unknown, string]>([
    ['an unknown preset', 'html', undefined, "headers.preset: must be 'api' or 'web'; got \"html\"."],
    ['an unknown option', 'api', { xFrameOption: 'DENY' }, 'headers.xFrameOption: is not a known option.'],
    [
      'a value outside the choices',
      'api',
      { xFrameOptions: 'ALLOW-FROM x' },
      'headers.xFrameOptions: Expected',
    ],
    [
      'CR/LF in a value',
      'api',
      { cacheControl: 'no-store\r\nSet-Cookie: a=b' },
      'headers.cacheControl: Expected',
    ],
    ['an empty value', 'api', { cacheControl: '' }, 'headers.cacheControl: Expected a non-empty'],
    [
      'CR/LF in a CSP string',
      'api',
      { contentSecurityPolicy: "default-src 'none'\n" },
      'headers.contentSecurityPolicy: Expected',
    ],
    [
      'a fixed nonce in a CSP string',
      'web',
      { contentSecurityPolicy: "script-src 'nonce-abc'" },
      'headers.contentSecurityPolicy: a fixed nonce',
    ],
    [
      'a CSP of another type',
      'api',
      { contentSecurityPolicy: 3 },
      'headers.contentSecurityPolicy: Expected a policy string',
    ],
    [
      'an unknown directive',
      'web',
      { contentSecurityPolicy: { scriptSource: ["'self'"] } },
      'headers.contentSecurityPolicy.scriptSource: is not a known option.',
    ],
    [
      'an unquoted keyword',
      'web',
      { contentSecurityPolicy: { scriptSrc: ["'self'", 'unsafe-inline'] } },
      `headers.contentSecurityPolicy.scriptSrc[1]: CSP keywords are written in single quotes: use "'unsafe-inline'"`,
    ],
    [
      'a source smuggling a directive',
      'web',
      { contentSecurityPolicy: { imgSrc: ["'self'; script-src *"] } },
      'headers.contentSecurityPolicy.imgSrc[0]: ',
    ],
    [
      'a fixed nonce source',
      'web',
      { contentSecurityPolicy: { scriptSrc: ["'nonce-abc'"] } },
      'headers.contentSecurityPolicy.scriptSrc[0]: a fixed nonce',
    ],
    [
      'an empty source list',
      'web',
      { contentSecurityPolicy: { imgSrc: [] } },
      `headers.contentSecurityPolicy.imgSrc: is empty: write ["'none'"]`,
    ],
    [
      "'none' next to sources",
      'web',
      { contentSecurityPolicy: { imgSrc: ["'none'", "'self'"] } },
      `headers.contentSecurityPolicy.imgSrc: "'none'" is ignored`,
    ],
    [
      'a policy with no directive left',
      'api',
      { contentSecurityPolicy: { defaultSrc: false, frameAncestors: false } },
      'headers.contentSecurityPolicy: removes every directive',
    ],
    [
      'Feature-Policy syntax',
      'api',
      { permissionsPolicy: "camera 'none'" },
      'headers.permissionsPolicy: Expected the Permissions-Policy syntax',
    ],
    [
      'a bad header name to remove',
      'api',
      { removeHeaders: ['X-Powered-By', 'Server:'] },
      'headers.removeHeaders[1]: Expected a header name',
    ],
    ['a random that is no function', 'web', { random: 4 }, 'headers.random: Expected a function'],
  ])('refuses %s', (_, preset, overrides, message) => {
    expect(() => headers(preset as 'api', overrides as HeadersOptions)).toThrowError(
      expect.objectContaining({ code: 'SEC_CONFIG', message: expect.stringContaining(message) }),
    )
  })

  it('either refuses a string value or sends it exactly, never a split header', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' })), (value) => {
        let guard: Guard
        try {
          guard = headers('api', { cacheControl: value })
        } catch (error) {
          return error instanceof SecConfigError && error.path === 'headers.cacheControl'
        }
        const responseHeaders = new Headers()
        guard.check({ responseHeaders, facts: {}, removeResponseHeader: () => undefined } as never)
        return responseHeaders.get('cache-control') === value && !/[\r\n\0]/.test(value)
      }),
    )
  })

  it('either refuses a CSP source or keeps it inside its own directive', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' })), (source) => {
        let guard: Guard
        try {
          guard = headers('api', { contentSecurityPolicy: { imgSrc: [source] } })
        } catch (error) {
          return error instanceof SecConfigError && error.path === 'headers.contentSecurityPolicy.imgSrc[0]'
        }
        const responseHeaders = new Headers()
        guard.check({ responseHeaders, facts: {}, removeResponseHeader: () => undefined } as never)
        return (
          responseHeaders.get('content-security-policy') ===
          `default-src 'none'; frame-ancestors 'none'; img-src ${source}`
        )
      }),
    )
  })
})
