import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { scopesOf } from './token-scopes.js'

describe('scopesOf', () => {
  it('reads a space-separated scope claim', () => {
    expect(scopesOf({ scope: 'notes:read  notes:write' })).toEqual(['notes:read', 'notes:write'])
  })

  it('reads scp as a list or a string, and merges it with scope', () => {
    expect(scopesOf({ scp: ['a', 'b'] })).toEqual(['a', 'b'])
    expect(scopesOf({ scp: 'a b' })).toEqual(['a', 'b'])
    expect(scopesOf({ scope: 'a b', scp: ['b', 'c'] })).toEqual(['a', 'b', 'c'])
  })

  it('grants nothing without either claim', () => {
    expect(scopesOf({ sub: 'x' })).toEqual([])
  })

  it('refuses other shapes', () => {
    expect(scopesOf({ scope: ['a'] })).toBeUndefined()
    expect(scopesOf({ scope: 1 })).toBeUndefined()
    expect(scopesOf({ scp: [1] })).toBeUndefined()
    expect(scopesOf({ scp: { a: true } })).toBeUndefined()
    expect(scopesOf({ scope: null })).toBeUndefined()
  })

  it('never returns an empty scope, and keeps every scope of the string', () => {
    fc.assert(
      fc.property(fc.string(), fc.array(fc.string()), (scope, scp) => {
        const scopes = scopesOf({ scope, scp }) ?? []
        for (const item of scopes) {
          expect(item).not.toBe('')
        }
        for (const item of scope.split(' ')) if (item !== '') expect(scopes).toContain(item)
      }),
    )
  })
})
