import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { mergeVary } from './merge-vary.js'

describe('mergeVary', () => {
  it.each([
    ['Accept-Encoding', 'Origin', 'Accept-Encoding, Origin'],
    [
      'Accept-Encoding',
      'Origin, Access-Control-Request-Method',
      'Accept-Encoding, Origin, Access-Control-Request-Method',
    ],
    ['origin', 'Origin', 'origin'],
    ['Accept, Origin', ' origin ,Accept', 'Accept, Origin'],
    ['Accept', 'Origin,, ,Cookie', 'Accept, Origin, Cookie'],
    ['*', 'Origin', '*'],
    ['Accept, *', 'Origin', 'Accept, *'],
    ['Accept', '', 'Accept'],
    ['Accept', 'Origin, origin', 'Accept, Origin'],
  ])('merges %j with %j into %j', (current, added, expected) => {
    expect(mergeVary(current, added)).toBe(expected)
  })

  it('changes nothing when merged twice', () => {
    const token = fc.stringMatching(/^[A-Za-z-]{1,12}$/)
    fc.assert(
      fc.property(
        fc.array(token, { minLength: 1, maxLength: 4 }),
        fc.array(token, { maxLength: 4 }),
        (a, b) => {
          const once = mergeVary(a.join(', '), b.join(', '))
          expect(mergeVary(once, b.join(', '))).toBe(once)
        },
      ),
    )
  })
})
