import { describe, expect, it } from 'vitest'
import type { ValidationError } from './issue-report.js'
import { collectUnknownKeys } from './unknown-keys.js'

function unknown(input: unknown, output: unknown, maxErrors = 20): string[] {
  const errors: ValidationError[] = []
  collectUnknownKeys(errors, maxErrors, 'body', input, output)
  return errors.map((error) => error.path)
}

describe('collectUnknownKeys', () => {
  it('lists input keys the output dropped, at any depth', () => {
    const input = { a: 1, b: { c: 1, d: [{ e: 1, f: 2 }] }, g: 1 }
    const output = { a: 1, b: { c: 1, d: [{ e: 1 }] } }
    expect(unknown(input, output)).toEqual(['/b/d/0/f', '/g'])
  })

  it('does not descend where the output changed shape', () => {
    expect(unknown({ a: { x: 1 } }, { a: 'flattened' })).toEqual([])
    expect(unknown([{ x: 1 }, { y: 1 }], [{}])).toEqual([])
    expect(unknown({ a: 1 }, new Map([['a', 1]]))).toEqual([])
    expect(unknown({ a: 1 }, Object.assign(Object.create(null), { a: 1 }))).toEqual([])
  })

  it('ignores an output that is the input itself', () => {
    const same = { a: 1, extra: 2 }
    expect(unknown(same, same)).toEqual([])
  })

  it('stops at the error cap', () => {
    expect(unknown({ a: 1, b: 2, c: 3 }, {}, 2)).toEqual(['/a', '/b'])
  })
})
