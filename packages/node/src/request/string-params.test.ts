import { describe, expect, it } from 'vitest'
import { stringParams } from './string-params.js'

describe('stringParams', () => {
  it('returns string params as they are', () => {
    const params = { id: 'n_1' }
    expect(stringParams(params)).toBe(params)
  })

  it('joins wildcard segments and stringifies anything else', () => {
    expect(stringParams({ id: 'n_1', path: ['a', 'b.txt'], n: 3 })).toEqual({
      id: 'n_1',
      path: 'a/b.txt',
      n: '3',
    })
  })

  it('gives no params for a route without any', () => {
    expect(stringParams(undefined)).toEqual({})
  })
})
