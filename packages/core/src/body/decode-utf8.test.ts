import { describe, expect, it } from 'vitest'
import { decodeUtf8, hasLoneSurrogate } from './decode-utf8.js'

describe('decodeUtf8', () => {
  it('decodes UTF-8 and drops one leading byte order mark', () => {
    expect(decodeUtf8(new Uint8Array([0xef, 0xbb, 0xbf, 0x68, 0xc3, 0xa9]))).toBe('hé')
  })

  it('refuses malformed bytes with the given detail', () => {
    expect(() => decodeUtf8(new Uint8Array([0xc3, 0x28]), 'Bad field.')).toThrowError(
      expect.objectContaining({ problem: expect.objectContaining({ detail: 'Bad field.', status: 400 }) }),
    )
  })
})

describe('hasLoneSurrogate', () => {
  it.each([
    ['plain', false],
    ['😀', false],
    ['a\ud800', true],
    ['\udc00a', true],
    ['\ud83d\ud83d\ude00', true],
    ['\ude00\ud83d', true],
  ])('%j gives %s', (text, lone) => {
    expect(hasLoneSurrogate(text)).toBe(lone)
  })
})
