import fc from 'fast-check'
import * as v from 'valibot'
import { describe, expect, it } from 'vitest'
import { LoginInputSchema, RefreshInputSchema } from './auth-schemas.js'

function issues(schema: v.GenericSchema, input: unknown): string[] {
  const result = v.safeParse(schema, input)
  return result.success ? [] : result.issues.map((i) => `${v.getDotPath(i) ?? ''}: ${i.type}`)
}

describe('LoginInputSchema', () => {
  it('accepts a username and password at their limits, and a scope asked for', () => {
    const input = { username: `a${'.'.repeat(62)}Z`, password: 'p'.repeat(256), scope: 'notes:read' }
    expect(v.parse(LoginInputSchema, input)).toEqual(input)
    expect(v.parse(LoginInputSchema, { username: 'bob+demo@example.com', password: 'é' })).toEqual({
      username: 'bob+demo@example.com',
      password: 'é',
    })
  })

  it.each([
    [{ username: '', password: 'p' }, ['username: regex']],
    [{ username: 'a'.repeat(65), password: 'p' }, ['username: regex']],
    [{ username: 'alice smith', password: 'p' }, ['username: regex']],
    [{ username: 'al\u00efce', password: 'p' }, ['username: regex']],
    [{ username: 'alice', password: '' }, ['password: min_length']],
    [{ username: 'alice', password: 'p'.repeat(257) }, ['password: max_length']],
    [{ username: 'alice', password: 1234 }, ['password: string']],
    [{ username: 'alice', password: 'p', scope: 'notes:admin' }, ['scope: picklist']],
    [{ username: 'alice', password: 'p', grant_type: 'password' }, ['grant_type: strict_object']],
    [{ username: 'alice' }, ['password: strict_object']],
  ])('refuses %j', (input, expected) => {
    expect(issues(LoginInputSchema, input)).toEqual(expected)
  })

  it('never accepts a username outside its pattern', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (username) => {
        const accepted = v.is(LoginInputSchema, { username, password: 'p' })
        return accepted === /^[A-Za-z0-9._@+-]{1,64}$/.test(username)
      }),
    )
  })
})

describe('RefreshInputSchema', () => {
  it('takes a refresh_token of 1 to 512 characters, and nothing else', () => {
    expect(v.parse(RefreshInputSchema, { refresh_token: 'x' })).toEqual({ refresh_token: 'x' })
    expect(issues(RefreshInputSchema, { refresh_token: '' })).toEqual(['refresh_token: min_length'])
    expect(issues(RefreshInputSchema, { refresh_token: 'x'.repeat(513) })).toEqual([
      'refresh_token: max_length',
    ])
    expect(issues(RefreshInputSchema, { refreshToken: 'x' })).toEqual([
      'refresh_token: strict_object',
      'refreshToken: strict_object',
    ])
  })
})
