import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { canonicalComponent, percentDecode, percentDecodeBytes, uriEncode } from './uri-encode.js'

const unreserved = '-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

describe('uriEncode', () => {
  it('keeps unreserved characters and escapes every other byte as upper-case %XX', () => {
    expect(uriEncode(unreserved)).toBe(unreserved)
    expect(uriEncode("a b+c/d?e=f&g*h!i'j(k)l%m")).toBe('a%20b%2Bc%2Fd%3Fe%3Df%26g%2Ah%21i%27j%28k%29l%25m')
    expect(uriEncode('ሴ')).toBe('%E1%88%B4')
    expect(uriEncode('é\u0000\u007f')).toBe('%C3%A9%00%7F')
    expect(uriEncode('')).toBe('')
  })

  it('keeps / only when asked (paths)', () => {
    expect(uriEncode('/a b/c', true)).toBe('/a%20b/c')
    expect(uriEncode('/a b/c')).toBe('%2Fa%20b%2Fc')
  })

  it('escapes a lone surrogate as U+FFFD rather than throwing', () => {
    expect(uriEncode('a\ud800b')).toBe('a%EF%BF%BDb')
  })

  it('produces only unreserved characters and %XX, for any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(uriEncode(text)).toMatch(/^(?:[A-Za-z0-9._~-]|%[0-9A-F]{2})*$/)
      }),
    )
  })
})

describe('percentDecode', () => {
  it('decodes %XX (either case) and leaves + and other characters alone', () => {
    expect(percentDecode('a%20b+c%2fd%2F')).toBe('a b+c/d/')
    expect(percentDecode('%E1%88%B4=bar')).toBe('ሴ=bar')
    expect(percentDecode('plain')).toBe('plain')
  })

  it('keeps a % that does not start an escape', () => {
    expect(percentDecode('100%')).toBe('100%')
    expect(percentDecode('%zz%4')).toBe('%zz%4')
    expect([...percentDecodeBytes('%4%41')]).toEqual([0x25, 0x34, 0x41])
  })

  it('turns invalid UTF-8 into U+FFFD', () => {
    expect(percentDecode('%FF')).toBe('\ufffd')
  })

  it('inverts uriEncode for well-formed text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        expect(percentDecode(uriEncode(text))).toBe(text)
      }),
    )
  })
})

describe('canonicalComponent', () => {
  it('escapes raw and already escaped text alike', () => {
    expect(canonicalComponent('ሴ')).toBe('%E1%88%B4')
    expect(canonicalComponent('%E1%88%B4')).toBe('%E1%88%B4')
    expect(canonicalComponent('%7e%7E~')).toBe('~~~')
    expect(canonicalComponent('a b%20c')).toBe('a%20b%20c')
    expect(canonicalComponent('100%')).toBe('100%25')
  })

  it('is idempotent', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        const once = canonicalComponent(text)
        expect(canonicalComponent(once)).toBe(once)
      }),
    )
  })
})
