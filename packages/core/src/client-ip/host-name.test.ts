import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { hostName, normalizeHost } from './host-name.js'

describe('normalizeHost', () => {
  it.each([
    ['api.example.com', 'api.example.com'],
    ['API.Example.COM', 'api.example.com'],
    ['localhost:3000', 'localhost:3000'],
    ['example.com:08443', 'example.com:8443'],
    ['my_service.internal', 'my_service.internal'],
    ['xn--bcher-kva.example', 'xn--bcher-kva.example'],
    ['192.0.2.1', '192.0.2.1'],
    ['192.0.2.1:80', '192.0.2.1:80'],
    ['[2001:DB8::1]', '[2001:db8::1]'],
    ['[2001:db8:0:0:0:0:0:1]:8443', '[2001:db8::1]:8443'],
    ['[::1]:65535', '[::1]:65535'],
    ['a1.b2', 'a1.b2'],
    [`${'a'.repeat(63)}.com`, `${'a'.repeat(63)}.com`],
  ])('accepts %j as %j', (value, expected) => {
    expect(normalizeHost(value)).toBe(expected)
  })

  it.each([
    '',
    'example.com.',
    '.example.com',
    'a..b',
    'evil.com/path',
    'user@evil.com',
    'evil.com\\good.com',
    'a b.com',
    'a\tb',
    'a\u0000b',
    'example.com:',
    'example.com:65536',
    'example.com:123456',
    'example.com:80:80',
    'example.com:http',
    '\u212Aelvin.example',
    'bücher.example',
    'a,b.example',
    'a.example, b.example',
    '999.1.1.1',
    '1.2.3',
    '01.2.3.4',
    'foo.123',
    'foo.0x7f',
    '[::1',
    '[::1]x',
    '[::1]:',
    '[1.2.3.4]',
    '[fe80::1%25eth0]',
    '[v1.fe]',
    '::1',
    `${'a'.repeat(64)}.com`,
    `${'a.'.repeat(130)}com`,
  ])('refuses %j', (value) => {
    expect(normalizeHost(value)).toBeUndefined()
  })

  it('never throws, and what it accepts is stable and free of URL-changing characters', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.string({ unit: fc.constantFrom(...'aZ09.-_:[]/@\\ 1f%'), maxLength: 30 })),
        (value) => {
          const host = normalizeHost(value)
          if (host === undefined) return
          expect(host).toMatch(/^[a-z0-9._:[\]-]+$/)
          expect(normalizeHost(host)).toBe(host)
          expect(new URL(`https://${host}/`).host).toBe(host.replace(/:443$/, ''))
        },
      ),
      { numRuns: 2000 },
    )
  })
})

describe('hostName', () => {
  it.each([
    ['example.com', 'example.com'],
    ['example.com:8443', 'example.com'],
    ['[::1]:8080', '[::1]'],
    ['[::1]', '[::1]'],
  ])('strips the port of %j', (host, expected) => {
    expect(hostName(host)).toBe(expected)
  })
})
