import fc from 'fast-check'
import { base64url } from 'jose'
import { describe, expect, it } from 'vitest'
import { isCanonicalBase64url, isCompactJws } from './compact-jws.js'

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

describe('isCanonicalBase64url', () => {
  it('accepts every canonical encoding', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 80 }), (bytes) => {
        expect(isCanonicalBase64url(base64url.encode(bytes))).toBe(true)
      }),
    )
  })

  it('refuses any other spelling of the same bytes', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 80 }),
        fc.integer({ min: 1, max: 15 }),
        (bytes, flip) => {
          const encoded = base64url.encode(bytes)
          const last = alphabet.indexOf(encoded.charAt(encoded.length - 1))
          const padBits = encoded.length % 4 === 2 ? 0b1111 : encoded.length % 4 === 3 ? 0b11 : 0
          if (padBits !== 0 && (flip & padBits) !== 0) {
            const respelled = encoded.slice(0, -1) + alphabet.charAt(last ^ (flip & padBits))
            expect(base64url.decode(respelled)).toEqual(bytes)
            expect(isCanonicalBase64url(respelled)).toBe(false)
          }
          if (encoded.length % 4 !== 0) expect(isCanonicalBase64url(`${encoded}=`)).toBe(false)
        },
      ),
    )
  })

  it('refuses other alphabets, padding, whitespace and impossible lengths', () => {
    for (const segment of ['', 'ab+c', 'ab/c', 'ab==', 'ab c', 'abcde', 'ab\n'])
      expect(isCanonicalBase64url(segment), segment).toBe(false)
  })
})

describe('isCompactJws', () => {
  it('accepts three canonical segments', () => {
    expect(isCompactJws('eyJhbGciOiJFUzI1NiJ9.e30.AAAA')).toBe(true)
  })

  it('refuses other shapes', () => {
    for (const token of [
      'eyJhbGciOiJub25lIn0.e30.',
      '.e30.AAAA',
      'eyJhbGciOiJFUzI1NiJ9..AAAA',
      'eyJhbGciOiJFUzI1NiJ9.e30',
      'a.b.c.d.e',
      'eyJhbGciOiJFUzI1NiJ9.e30.AAAA.',
      'eyJhbGciOiJFUzI1NiJ9.e30.AAAA=',
      '{"payload":"e30"}',
    ])
      expect(isCompactJws(token), token).toBe(false)
  })

  it('never throws', () => {
    fc.assert(fc.property(fc.string(), (token) => void isCompactJws(token)))
  })
})
