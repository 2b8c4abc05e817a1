import { describe, expect, it } from 'vitest'
import { InvalidTokenError } from '../token-errors.js'
import { type IntrospectionResponsePolicy, readIntrospectionResponse } from './introspection-response.js'

const now = Date.UTC(2026, 0, 15, 12, 0, 0)
const nowSeconds = now / 1000

const policy: IntrospectionResponsePolicy = {
  issuers: undefined,
  audiences: undefined,
  clockTolerance: 30_000,
  requireTokenId: false,
  defaultIssuer: 'https://auth.example.com',
}

const active = {
  active: true,
  iss: 'https://auth.example.com/',
  aud: 'https://api.example.com',
  sub: 'user-1',
  client_id: 'spa',
  scope: 'notes:read notes:write',
  jti: 'jti-1',
  exp: nowSeconds + 600,
  iat: nowSeconds - 60,
  username: 'alice',
  token_type: 'Bearer',
}

function read(response: Record<string, unknown>, overrides: Partial<IntrospectionResponsePolicy> = {}) {
  return readIntrospectionResponse(response, { ...policy, ...overrides }, now)
}

function refusal(response: Record<string, unknown>, overrides: Partial<IntrospectionResponsePolicy> = {}) {
  try {
    read(response, overrides)
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidTokenError)
    const { reason, claim } = error as InvalidTokenError
    return { reason, claim }
  }
  throw new Error('the response was accepted')
}

describe('readIntrospectionResponse', () => {
  it('turns an active response into a verified token', () => {
    expect(read({ ...active })).toEqual({
      principal: { id: 'user-1', kind: 'user', scopes: ['notes:read', 'notes:write'], claims: active },
      claims: active,
      header: {},
      issuer: 'https://auth.example.com/',
      clientId: 'spa',
      tokenId: 'jti-1',
      expiresAt: (nowSeconds + 600) * 1000,
    })
  })

  it('freezes what it returns, since cache hits share it', () => {
    const verified = read({ ...active })
    expect(Object.isFrozen(verified)).toBe(true)
    expect(Object.isFrozen(verified.principal)).toBe(true)
    expect(Object.isFrozen(verified.principal.scopes)).toBe(true)
    expect(Object.isFrozen(verified.claims)).toBe(true)
  })

  it('makes a client principal from client_id when there is no sub, or when sub is the client', () => {
    const { sub: _sub, ...withoutSub } = active
    expect(read(withoutSub).principal).toMatchObject({ id: 'spa', kind: 'client' })
    expect(read({ ...active, sub: 'spa' }).principal).toMatchObject({ id: 'spa', kind: 'client' })
    expect(read({ active: true, sub: 'user-1' }).principal).toMatchObject({ id: 'user-1', kind: 'user' })
  })

  it('takes the scopes from the space-separated scope member, none when absent', () => {
    expect(read({ active: true, sub: 'u', scope: ' a  b a ' }).principal.scopes).toEqual(['a', 'b'])
    expect(read({ active: true, sub: 'u' }).principal.scopes).toEqual([])
  })

  it("falls back to the endpoint's origin as issuer and to Infinity as expiry", () => {
    const verified = read({ active: true, sub: 'user-1' })
    expect(verified.issuer).toBe('https://auth.example.com')
    expect(verified.expiresAt).toBe(Number.POSITIVE_INFINITY)
    expect(verified.clientId).toBeUndefined()
    expect(verified.tokenId).toBeUndefined()
  })

  it('refuses anything but active: true as inactive', () => {
    for (const value of [false, 'true', 1, null, undefined, {}])
      expect(refusal({ ...active, active: value })).toEqual({ reason: 'inactive', claim: undefined })
    const { active: _active, ...withoutActive } = active
    expect(refusal(withoutActive)).toEqual({ reason: 'inactive', claim: undefined })
  })

  it('refuses an expired exp, beyond the clock tolerance only', () => {
    expect(refusal({ ...active, exp: nowSeconds - 30 })).toEqual({ reason: 'expired', claim: 'exp' })
    expect(read({ ...active, exp: nowSeconds - 29 }).expiresAt).toBe((nowSeconds - 29) * 1000)
    expect(refusal({ ...active, exp: nowSeconds }, { clockTolerance: 0 })).toEqual({
      reason: 'expired',
      claim: 'exp',
    })
  })

  it('refuses an nbf ahead, beyond the clock tolerance only', () => {
    expect(refusal({ ...active, nbf: nowSeconds + 31 })).toEqual({ reason: 'not-yet-valid', claim: 'nbf' })
    expect(read({ ...active, nbf: nowSeconds + 30 }).principal.id).toBe('user-1')
  })

  it('checks iss when issuers are configured', () => {
    const issuers = ['https://old.example.com/', 'https://auth.example.com/']
    expect(read({ ...active }, { issuers }).issuer).toBe('https://auth.example.com/')
    expect(refusal({ ...active, iss: 'https://evil.example.com/' }, { issuers })).toEqual({
      reason: 'claims',
      claim: 'iss',
    })
    const { iss: _iss, ...withoutIss } = active
    expect(refusal(withoutIss, { issuers })).toEqual({ reason: 'claims', claim: 'iss' })
  })

  it('checks that aud contains a configured audience', () => {
    const audiences = ['https://api.example.com']
    const listed = { ...active, aud: ['https://other.example.com', 'https://api.example.com'] }
    expect(read(listed, { audiences }).claims.aud).toEqual(listed.aud)
    expect(refusal({ ...active, aud: 'https://other.example.com' }, { audiences })).toEqual({
      reason: 'claims',
      claim: 'aud',
    })
    expect(refusal({ ...active, aud: [] }, { audiences })).toEqual({ reason: 'claims', claim: 'aud' })
    const { aud: _aud, ...withoutAud } = active
    expect(refusal(withoutAud, { audiences })).toEqual({ reason: 'claims', claim: 'aud' })
    expect(read(withoutAud).principal.id).toBe('user-1')
  })

  it('refuses members of the wrong type, naming them', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ exp: String(nowSeconds + 600) }, 'exp'],
      [{ exp: Number.NaN }, 'exp'],
      [{ nbf: null }, 'nbf'],
      [{ iat: '0' }, 'iat'],
      [{ iss: 42 }, 'iss'],
      [{ aud: [42] }, 'aud'],
      [{ aud: { a: 1 } }, 'aud'],
      [{ sub: 42 }, 'sub'],
      [{ sub: '' }, 'sub'],
      [{ client_id: ['spa'] }, 'client_id'],
      [{ jti: 7 }, 'jti'],
      [{ scope: ['notes:read'] }, 'scope'],
    ]
    for (const [members, claim] of cases)
      expect(refusal({ ...active, ...members }), claim).toEqual({ reason: 'claims', claim })
  })

  it('refuses a response naming neither sub nor client_id', () => {
    expect(refusal({ active: true, scope: 'notes:read' })).toEqual({ reason: 'claims', claim: 'sub' })
  })

  it('requires jti when a revocation store needs it', () => {
    const { jti: _jti, ...withoutJti } = active
    expect(refusal(withoutJti, { requireTokenId: true })).toEqual({ reason: 'claims', claim: 'jti' })
    expect(read(withoutJti).tokenId).toBeUndefined()
  })
})
