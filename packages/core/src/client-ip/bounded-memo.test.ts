import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { BoundedMemo } from './bounded-memo.js'

/** A memo over a function that records each key it is asked to compute. */
function counting(maxKeyLength: number, slots: number) {
  const computed: string[] = []
  const memo = new BoundedMemo(
    (key: string) => {
      computed.push(key)
      return key === 'none' ? undefined : `<${key}>`
    },
    maxKeyLength,
    slots,
  )
  return { memo, computed }
}

describe('BoundedMemo', () => {
  it('computes a key once and answers repeats from its table', () => {
    const { memo, computed } = counting(16, 8)
    expect(memo.get('10.0.0.1')).toBe('<10.0.0.1>')
    expect(memo.get('10.0.0.1')).toBe('<10.0.0.1>')
    expect(memo.get(['10.0.', '0.1'].join(''))).toBe('<10.0.0.1>')
    expect(computed).toEqual(['10.0.0.1'])
  })

  it('remembers an undefined result too', () => {
    const { memo, computed } = counting(16, 8)
    expect(memo.get('none')).toBeUndefined()
    expect(memo.get('none')).toBeUndefined()
    expect(computed).toEqual(['none'])
  })

  it('never stores a key longer than the limit', () => {
    const { memo, computed } = counting(4, 8)
    expect(memo.get('abcd')).toBe('<abcd>')
    expect(memo.get('abcde')).toBe('<abcde>')
    expect(memo.get('abcde')).toBe('<abcde>')
    expect(memo.get('abcd')).toBe('<abcd>')
    expect(computed).toEqual(['abcd', 'abcde', 'abcde'])
  })

  it('holds one entry per slot: a new key replaces the one in its slot', () => {
    const { memo, computed } = counting(16, 1)
    memo.get('a')
    memo.get('b')
    memo.get('a')
    memo.get('a')
    expect(computed).toEqual(['a', 'b', 'a'])
  })

  it('handles the empty key and one-character keys', () => {
    const { memo, computed } = counting(16, 4)
    expect(memo.get('')).toBe('<>')
    expect(memo.get('x')).toBe('<x>')
    expect(memo.get('')).toBe('<>')
    expect(memo.get('x')).toBe('<x>')
    expect(computed).toEqual(['', 'x'])
  })

  it('always answers what the function gives, whatever the keys and the table size', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 0, max: 12 }),
        fc.array(fc.string({ unit: fc.constantFrom(...'ab.:1é'), maxLength: 14 }), { maxLength: 60 }),
        (slots, maxKeyLength, keys) => {
          const { memo, computed } = counting(maxKeyLength, slots)
          for (const key of keys) expect(memo.get(key)).toBe(key === 'none' ? undefined : `<${key}>`)
          expect(new Set(computed)).toEqual(new Set(keys))
        },
      ),
      { numRuns: 500 },
    )
  })
})
