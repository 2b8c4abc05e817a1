import * as v from 'valibot'
import { describe, expect, it } from 'vitest'
import { ApiKeyInputSchema, ApiKeyParamsSchema } from './api-key-schemas.js'

function issues(schema: v.GenericSchema, input: unknown): string[] {
  const result = v.safeParse(schema, input)
  return result.success ? [] : result.issues.map((i) => `${v.getDotPath(i) ?? ''}: ${i.type}`)
}

describe('ApiKeyInputSchema', () => {
  it('takes Notes scopes and a lifetime in seconds from a minute to a year', () => {
    expect(v.parse(ApiKeyInputSchema, { scopes: ['notes:read'] })).toEqual({ scopes: ['notes:read'] })
    expect(v.parse(ApiKeyInputSchema, { scopes: ['notes:write', 'notes:read'], expiresIn: 60 })).toEqual({
      scopes: ['notes:write', 'notes:read'],
      expiresIn: 60,
    })
    expect(v.parse(ApiKeyInputSchema, { scopes: ['notes:read'], expiresIn: 31_536_000 }).expiresIn).toBe(
      31_536_000,
    )
  })

  it.each([
    [{ scopes: [] }, ['scopes: min_length']],
    [{ scopes: ['admin'] }, ['scopes.0: picklist']],
    [{ scopes: 'notes:read' }, ['scopes: array']],
    [{ scopes: ['notes:read', 'notes:read', 'notes:read'] }, ['scopes: max_length']],
    [{ scopes: ['notes:read'], expiresIn: 59 }, ['expiresIn: min_value']],
    [{ scopes: ['notes:read'], expiresIn: 31_536_001 }, ['expiresIn: max_value']],
    [{ scopes: ['notes:read'], expiresIn: 90.5 }, ['expiresIn: integer']],
    [{ scopes: ['notes:read'], expiresIn: '90d' }, ['expiresIn: number']],
    [{ scopes: ['notes:read'], owner: 'bob' }, ['owner: strict_object']],
  ])('refuses %j', (input, expected) => {
    expect(issues(ApiKeyInputSchema, input)).toEqual(expected)
  })
})

describe('ApiKeyParamsSchema', () => {
  it('takes 12 base62 characters only', () => {
    expect(v.parse(ApiKeyParamsSchema, { id: 'aZ09aZ09aZ09' })).toEqual({ id: 'aZ09aZ09aZ09' })
    for (const id of ['aZ09aZ09aZ0', 'aZ09aZ09aZ09a', 'aZ09aZ09aZ0_', ''])
      expect(issues(ApiKeyParamsSchema, { id })).toEqual(['id: regex'])
  })
})
