import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { hexEqual, isHexDigest } from './hex-digest.js'

const digest = '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31'

describe('isHexDigest', () => {
  it('accepts exactly 64 lower-case hex digits', () => {
    expect(isHexDigest(digest)).toBe(true)
    expect(isHexDigest('0'.repeat(64))).toBe(true)
    for (const bad of [
      '',
      digest.slice(1),
      `${digest}0`,
      digest.toUpperCase(),
      `${digest.slice(0, 63)}g`,
      `${digest.slice(0, 63)} `,
      ` ${digest.slice(1)}`,
      `${digest.slice(0, 63)}é`,
      `${digest.slice(0, 63)}\ud800`,
      `${digest.slice(0, 62)}😀`,
      `${digest.slice(0, 63)}\u0000`,
      `${digest.slice(0, 63)}\u0130`,
    ])
      expect(isHexDigest(bad), JSON.stringify(bad)).toBe(false)
  })

  it('agrees with /^[0-9a-f]{64}$/ on any string', () => {
    const near = fc.string({
      unit: fc.constantFrom('0', '9', 'a', 'f', 'g', 'A', 'F', ' ', 'é', '\u0130', '\ud800', '😀'),
      minLength: 62,
      maxLength: 66,
    })
    fc.assert(
      fc.property(fc.oneof(near, fc.string(), fc.stringMatching(/^[0-9a-f]{64}$/)), (value) => {
        expect(isHexDigest(value)).toBe(/^[0-9a-f]{64}$/.test(value))
      }),
    )
  })
})

describe('isHexDigest at an offset', () => {
  const header = `AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/iam/aws4_request, Signature=${digest}`
  const at = header.length - 64

  it('checks the last 64 characters from the offset, where they stand', () => {
    expect(isHexDigest(header, at)).toBe(true)
    expect(isHexDigest(`${header}0`, at)).toBe(false)
    expect(isHexDigest(header, at - 1)).toBe(false)
    expect(isHexDigest(header, at + 1)).toBe(false)
    expect(isHexDigest(`${header.slice(0, -1)}G`, at)).toBe(false)
    expect(isHexDigest(digest.slice(1), -1)).toBe(false)
  })

  it('answers as the check of the slice does, for any prefix and offset', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 20 }),
        fc.oneof(fc.string({ maxLength: 70 }), fc.stringMatching(/^[0-9a-f]{64}$/)),
        fc.integer({ min: -2, max: 2 }),
        (prefix, tail, shift) => {
          const value = prefix + tail
          const from = prefix.length + shift
          expect(isHexDigest(value, from)).toBe(from >= 0 && isHexDigest(value.slice(from)))
        },
      ),
    )
  })
})

describe('hexEqual', () => {
  it('compares equal-length strings fully and refuses other lengths', () => {
    expect(hexEqual(digest, digest)).toBe(true)
    expect(hexEqual(digest, `${digest.slice(0, 63)}0`)).toBe(false)
    expect(hexEqual(digest, `0${digest.slice(1)}`)).toBe(false)
    expect(hexEqual(digest, digest.slice(1))).toBe(false)
    expect(hexEqual(digest, `${digest.slice(0, 63)}é`)).toBe(false)
    expect(hexEqual('', '')).toBe(true)
    expect(hexEqual('abc', 'abc')).toBe(true)
    expect(hexEqual('abc', 'abd')).toBe(false)
  })

  it('answers as === does, on digests and on anything else', () => {
    const hexish = fc.string({
      unit: fc.constantFrom('0', '1', 'a', 'f', 'é', '\ud800'),
      minLength: 64,
      maxLength: 64,
    })
    fc.assert(
      fc.property(fc.oneof(hexish, fc.string()), fc.oneof(hexish, fc.string()), (a, b) => {
        expect(hexEqual(a, b)).toBe(a === b)
        expect(hexEqual(a, a)).toBe(true)
      }),
    )
  })
})

describe('hexEqual at an offset', () => {
  it('compares the expected digest with the end of a value from an offset', () => {
    const header = `Signature=${digest}`
    expect(hexEqual(digest, header, 10)).toBe(true)
    expect(hexEqual(digest, `${header.slice(0, -1)}0`, 10)).toBe(false)
    expect(hexEqual(digest, `${header}0`, 10)).toBe(false)
    expect(hexEqual(digest, header, 9)).toBe(false)
    expect(hexEqual(digest, header, 11)).toBe(false)
    expect(hexEqual('', digest, 64)).toBe(true)
    expect(hexEqual('\u0000b', 'b', -1)).toBe(false)
  })

  it('answers as === on the slice does', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 10 }), fc.string(), fc.string(), (prefix, expected, tail) => {
        const value = prefix + tail
        expect(hexEqual(expected, value, prefix.length)).toBe(expected === tail)
        expect(hexEqual(tail, value, prefix.length)).toBe(true)
      }),
    )
  })
})
