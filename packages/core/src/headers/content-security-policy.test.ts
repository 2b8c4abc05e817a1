import { describe, expect, it } from 'vitest'
import {
  type CspDirectives,
  checkCspDirectives,
  nonceSource,
  serializeCsp,
} from './content-security-policy.js'

describe('serializeCsp', () => {
  it('writes camelCase directives in their header spelling, in order, without empty ones', () => {
    expect(
      serializeCsp(
        { defaultSrc: ["'self'"], sandbox: true, upgradeInsecureRequests: true },
        {
          scriptSrc: ["'self'", nonceSource],
          sandbox: ['allow-scripts', 'allow-forms'],
          upgradeInsecureRequests: false,
        },
      ),
    ).toBe("default-src 'self'; sandbox allow-scripts allow-forms; script-src 'self' 'nonce'")
  })

  it('writes a bare sandbox for true or an empty list', () => {
    expect(serializeCsp({ sandbox: true })).toBe('sandbox')
    expect(serializeCsp({ sandbox: [] })).toBe('sandbox')
  })
})

describe('checkCspDirectives', () => {
  const check = (directives: CspDirectives) => () => checkCspDirectives('csp', directives)

  it('accepts hosts, schemes, hashes, quoted keywords and the nonce placeholder', () => {
    expect(
      check({
        scriptSrc: ["'self'", nonceSource, "'strict-dynamic'", "'sha256-abc+/='", 'https://cdn.example.com'],
        imgSrc: ['data:', 'https:', '*.example.com'],
        requireTrustedTypesFor: ["'script'"],
        trustedTypes: ['default', "'allow-duplicates'"],
        reportUri: ['https://reports.example.com/csp'],
        reportTo: 'csp-endpoint',
        sandbox: ['allow-scripts'],
      }),
    ).not.toThrow()
  })

  it.each<[CspDirectives, string]>([
    [{ scriptSrc: ['self'] }, `csp.scriptSrc[0]: CSP keywords are written in single quotes: use "'self'"`],
    [
      { styleSrc: ["'self'", 'NONE'] },
      `csp.styleSrc[1]: CSP keywords are written in single quotes: use "'NONE'"`,
    ],
    [{ imgSrc: ["'self' https:"] }, `csp.imgSrc[0]: "'self' https:" is not one value`],
    [{ reportUri: ['https://a.example.com/r,script-src *'] }, 'csp.reportUri[0]: '],
    [{ requireTrustedTypesFor: ["'style'"] }, `csp.requireTrustedTypesFor[0]: the only value is "'script'".`],
    [
      { sandbox: ['allow-scripts', 'scripts'] },
      "csp.sandbox[1]: must be a sandbox flag such as 'allow-scripts'",
    ],
    [{ reportTo: 'csp endpoint' }, 'csp.reportTo: must be the name of a reporting endpoint'],
    [{ objectSrc: [] }, 'csp.objectSrc: is empty'],
    [
      { frameAncestors: ["'self'", "'none'"] },
      `csp.frameAncestors: "'none'" is ignored next to other sources`,
    ],
    [{ scriptSrc: ["'NONCE-abc'"] }, 'csp.scriptSrc[0]: a fixed nonce'],
    [
      { scriptSrc: ["'self'", "'unsafe_inline'"] },
      "csp.scriptSrc[1]: 'unsafe_inline' is not a CSP keyword or hash",
    ],
    [{ scriptSrc: ["'sha1-abc='"] }, "csp.scriptSrc[0]: 'sha1-abc=' is not a CSP keyword or hash"],
  ])('refuses %j', (directives, message) => {
    expect(check(directives)).toThrowError(
      expect.objectContaining({ message: expect.stringContaining(message) }),
    )
  })
})
