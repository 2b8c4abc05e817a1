import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { bytesEqual, stringsEqual } from './constant-time.js'

describe('bytesEqual', () => {
  it('answers true for equal bytes and false for any difference', () => {
    expect(bytesEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 3]))).toBe(true)
    expect(bytesEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 4]))).toBe(false)
    expect(bytesEqual(new Uint8Array([0, 2, 3]), new Uint8Array([1, 2, 3]))).toBe(false)
    expect(bytesEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2, 3]))).toBe(false)
    expect(bytesEqual(new Uint8Array(), new Uint8Array())).toBe(true)
  })

  it('agrees with an element-wise comparison', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.uint8Array({ maxLength: 40 }), (a, b) => {
        const expected = a.length === b.length && a.every((byte, i) => byte === b[i])
        expect(bytesEqual(a, b)).toBe(expected)
        expect(bytesEqual(a, a.slice())).toBe(true)
      }),
    )
  })
})

describe('stringsEqual', () => {
  it('compares the UTF-8 of two strings', () => {
    expect(stringsEqual('abc', 'abc')).toBe(true)
    expect(stringsEqual('abc', 'abd')).toBe(false)
    expect(stringsEqual('é', 'e')).toBe(false)
    const digest = fc.stringMatching(/^[A-Za-z0-9_-]{0,8}$/)
    fc.assert(
      fc.property(digest, digest, (a, b) => {
        expect(stringsEqual(a, b)).toBe(a === b)
      }),
    )
  })
})
