import { execFileSync } from 'node:child_process'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { shellQuote } from './shell-quote.js'

describe('shellQuote', () => {
  it('leaves plain words alone and single-quotes the rest', () => {
    expect(shellQuote('https://api.example.com/v1/notes')).toBe('https://api.example.com/v1/notes')
    expect(shellQuote('X-Amz-Date: 20150830T123600Z')).toBe("'X-Amz-Date: 20150830T123600Z'")
    expect(shellQuote("it's")).toBe("'it'\\''s'")
    expect(shellQuote('')).toBe("''")
    expect(shellQuote('a&b;$(rm -rf /)`x`')).toBe("'a&b;$(rm -rf /)`x`'")
  })

  it('round-trips any text without NUL through a real shell', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary', maxLength: 20 }), { maxLength: 4 }), (words) => {
        const clean = words.map((word) => word.replaceAll('\0', ''))
        const script = `printf '%s\\0' ${clean.map(shellQuote).join(' ')}`
        const out = execFileSync('/bin/sh', ['-c', clean.length === 0 ? 'true' : script], {
          encoding: 'utf8',
        })
        expect(out).toBe(clean.length === 0 ? '' : clean.map((word) => `${word}\0`).join(''))
      }),
      { numRuns: 40 },
    )
  })
})
