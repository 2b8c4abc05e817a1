import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { SecConfigError } from '../errors/index.js'
import { createSecurity, type Guard, type Principal } from '../pipeline/index.js'
import { fromWebRequest } from '../request/index.js'
import { type RequireScopesOptions, requireScopes } from './index.js'

function signedIn(principal: Principal | undefined): Guard {
  return {
    name: 'sign-in',
    check(ctx) {
      ctx.principal = principal
    },
  }
}

async function protect(principal: Principal | undefined, guard: Guard) {
  const request = fromWebRequest(new Request('https://api.example.com/v1/notes', { method: 'POST' }))
  return createSecurity({ guards: [signedIn(principal), guard] }).protect(request)
}

const alice = (scopes?: unknown): Principal =>
  scopes === undefined
    ? { id: 'alice', kind: 'user' }
    : { id: 'alice', kind: 'user', scopes: scopes as string[] }

const insufficient = JSON.stringify({
  type: 'urn:sec:problem:insufficient-scope',
  title: 'Insufficient Scope',
  status: 403,
})

describe('requireScopes', () => {
  it('answers 401 with a bare Bearer challenge when no principal is set', async () => {
    const outcome = await protect(undefined, requireScopes('notes:read'))
    expect(outcome.verdict).toBe('challenge')
    expect(outcome.reason).toBe('unauthorized')
    expect(outcome.response?.status).toBe(401)
    expect(Object.fromEntries(outcome.response?.headers ?? [])).toEqual({
      'cache-control': 'no-store',
      'content-type': 'application/problem+json',
      'www-authenticate': 'Bearer realm="api"',
    })
    expect(outcome.response?.body).toBe(
      JSON.stringify({ type: 'urn:sec:problem:unauthorized', title: 'Unauthorized', status: 401 }),
    )
  })

  it('lets a principal holding every required scope through', async () => {
    const outcome = await protect(
      alice(['notes:read', 'notes:write', 'profile']),
      requireScopes('notes:read', 'notes:write'),
    )
    expect(outcome.verdict).toBe('allow')
    expect(outcome.response).toBeUndefined()
  })

  it('answers 403 insufficient_scope naming every required scope when one is missing', async () => {
    const outcome = await protect(alice(['notes:read']), requireScopes('notes:read', 'notes:write'))
    expect(outcome.verdict).toBe('deny')
    expect(outcome.reason).toBe('insufficient-scope')
    expect(outcome.response?.status).toBe(403)
    expect(Object.fromEntries(outcome.response?.headers ?? [])).toEqual({
      'cache-control': 'no-store',
      'content-type': 'application/problem+json',
      'www-authenticate': 'Bearer realm="api", error="insufficient_scope", scope="notes:read notes:write"',
    })
    expect(outcome.response?.body).toBe(insufficient)
  })

  it.each<[string, unknown]>([
    ['no scopes at all', undefined],
    ['an empty list', []],
    ['a space-separated string instead of a list', 'notes:read'],
    ['a scope differing in case', ['Notes:Read']],
    ['a prefix of the scope', ['notes']],
  ])('denies a principal with %s', async (_, scopes) => {
    const outcome = await protect(alice(scopes), requireScopes('notes:read'))
    expect(outcome.response?.status).toBe(403)
    expect(outcome.response?.body).toBe(insufficient)
  })

  it("with match: 'any', needs one of the scopes", async () => {
    const guard = requireScopes('notes:read', 'notes:admin', { match: 'any', realm: 'notes' })
    expect((await protect(alice(['notes:admin']), guard)).verdict).toBe('allow')
    const denied = await protect(alice(['notes:write']), guard)
    expect(denied.response?.status).toBe(403)
    expect(denied.response?.headers.get('www-authenticate')).toBe(
      'Bearer realm="notes", error="insufficient_scope", scope="notes:read notes:admin"',
    )
    const anonymous = await protect(undefined, guard)
    expect(anonymous.response?.headers.get('www-authenticate')).toBe('Bearer realm="notes"')
  })

  it('lists a repeated scope once', async () => {
    const outcome = await protect(alice([]), requireScopes('a', 'b', 'a'))
    expect(outcome.response?.headers.get('www-authenticate')).toBe(
      'Bearer realm="api", error="insufficient_scope", scope="a b"',
    )
  })

  it('allows exactly when the granted scopes include every required one', async () => {
    const scope = fc.constantFrom('a', 'b', 'c', 'd')
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(scope, { minLength: 1 }),
        fc.array(scope),
        async (required, granted) => {
          const outcome = await protect(alice(granted), requireScopes(...required))
          const expected = required.every((s) => granted.includes(s))
          expect(outcome.verdict).toBe(expected ? 'allow' : 'deny')
        },
      ),
    )
  })

  it.each<[string, () => Guard, string]>([
    ['no scope', () => requireScopes(), 'requireScopes: needs at least one scope'],
    ['only options', () => requireScopes({ match: 'any' }), 'requireScopes: needs at least one scope'],
    ['an empty scope', () => requireScopes('a', ''), 'requireScopes.scopes[1]: is not a scope'],
    [
      'a scope with a space',
      () => requireScopes('notes:read notes:write'),
      'requireScopes.scopes[0]: is not a scope',
    ],
    ['a scope with a quote', () => requireScopes('a"b'), 'requireScopes.scopes[0]: is not a scope'],
    [
      'a scope of another type',
      () => requireScopes('a', 42 as unknown as string),
      'requireScopes.scopes[1]: is not a scope',
    ],
    [
      'an unknown option',
      () => requireScopes('a', { mode: 'any' } as RequireScopesOptions),
      'requireScopes.options.mode: is not a known option.',
    ],
    [
      'a bad match',
      () => requireScopes('a', { match: 'some' } as unknown as RequireScopesOptions),
      "requireScopes.options.match: Expected 'all' or 'any'.",
    ],
    [
      'a realm with a quote',
      () => requireScopes('a', { realm: 'a"b' }),
      'requireScopes.options.realm: must be',
    ],
    ['an empty realm', () => requireScopes('a', { realm: '' }), 'requireScopes.options.realm: must be'],
  ])('refuses %s at construction', (_, make, message) => {
    expect(make).toThrow(SecConfigError)
    expect(make).toThrow(message)
  })
})
