import * as v from 'valibot'
import { describe, expect, it } from 'vitest'
import { SearchQuerySchema } from './search-schemas.js'

function issues(input: unknown): string[] {
  const result = v.safeParse(SearchQuerySchema, input)
  return result.success ? [] : result.issues.map((i) => `${v.getDotPath(i) ?? ''}: ${i.type}`)
}

describe('SearchQuerySchema', () => {
  it.each(['q', 'Grocery list', 'é'.repeat(100), '%', ' '])('accepts q = %j', (q) => {
    expect(v.parse(SearchQuerySchema, { q })).toEqual({ q })
  })

  it.each([
    [{}, ['q: strict_object']],
    [{ q: '' }, ['q: min_length']],
    [{ q: 'x'.repeat(101) }, ['q: max_length']],
    [{ q: ['a', 'b'] }, ['q: string']],
    [{ q: 'a', page: '2' }, ['page: strict_object']],
  ])('refuses %j', (input, expected) => {
    expect(issues(input)).toEqual(expected)
  })
})
