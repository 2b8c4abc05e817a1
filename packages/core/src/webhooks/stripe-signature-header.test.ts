import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseStripeSignature } from './stripe-signature-header.js'

describe('parseStripeSignature', () => {
  it('reads t and every v1, skipping other schemes and stray items', () => {
    expect(parseStripeSignature(['t=1614265330,v1=aa,v1=bb,v0=cc'])).toEqual({
      timestamp: 1614265330,
      signatures: ['aa', 'bb'],
    })
    expect(parseStripeSignature([' t = 12 , v1 = aa ,, junk, x=1, =2, v1=, v2=dd'])).toEqual({
      timestamp: 12,
      signatures: ['aa'],
    })
    expect(parseStripeSignature(['v1=aa', 't=5'])).toEqual({ timestamp: 5, signatures: ['aa'] })
    expect(parseStripeSignature(['t=5,v1=a=b'])).toEqual({ timestamp: 5, signatures: ['a=b'] })
  })

  it('accepts a header repeated by a proxy with the same t', () => {
    expect(parseStripeSignature(['t=5,v1=aa, t=5,v1=bb'])).toEqual({ timestamp: 5, signatures: ['aa', 'bb'] })
    expect(parseStripeSignature(['t=5,v1=aa', 't=5,v1=bb'])).toEqual({
      timestamp: 5,
      signatures: ['aa', 'bb'],
    })
  })

  it('refuses a missing, unreadable or ambiguous timestamp', () => {
    for (const header of [
      'v1=aa',
      '',
      't=',
      't=-5,v1=aa',
      't=05,v1=aa',
      't=1.5,v1=aa',
      't=5,t=6,v1=aa',
      'T=5,v1=aa',
      't=１２',
    ]) {
      expect(parseStripeSignature([header]), header).toBeUndefined()
    }
    expect(parseStripeSignature(['t=5', 't=6'])).toBeUndefined()
    expect(parseStripeSignature([])).toBeUndefined()
  })

  it('never throws, whatever the input', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary', maxLength: 200 }), { maxLength: 4 }), (lines) => {
        const parsed = parseStripeSignature(lines)
        if (parsed !== undefined) {
          expect(Number.isSafeInteger(parsed.timestamp)).toBe(true)
          for (const signature of parsed.signatures) expect(signature).not.toBe('')
        }
      }),
      { numRuns: 1000 },
    )
  })
})
