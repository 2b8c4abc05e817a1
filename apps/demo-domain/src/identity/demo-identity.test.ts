import { createPublicKey, type JsonWebKey, verify } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { manualClock } from '../demo/notes-demo.fixture.js'
import { createDemoIdentity, demoAudience, demoClientId, demoIssuer } from './demo-identity.js'

function decode(part: string | undefined): unknown {
  return JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8'))
}

/** Checks an ES256 JWT against a public JWK with node:crypto, independently of @sec/core and jose. */
function verifiedParts(token: string, jwk: JsonWebKey): { header: unknown; payload: unknown } {
  const [header, payload, signature] = token.split('.')
  const signed = verify(
    'sha256',
    Buffer.from(`${header}.${payload}`),
    { key: createPublicKey({ key: jwk, format: 'jwk' }), dsaEncoding: 'ieee-p1363' },
    Buffer.from(signature ?? '', 'base64url'),
  )
  if (!signed) throw new Error('bad signature')
  return { header: decode(header), payload: decode(payload) }
}

function setUp() {
  const time = manualClock()
  const identity = createDemoIdentity({ clock: time.clock, passwordCost: 1024 })
  const now = () => ({ now: time.clock.now() })
  return { identity, time, now }
}

describe('createDemoIdentity', () => {
  it('issues 15-minute ES256 access tokens for the demo API, with the key id of the JWKS', async () => {
    const { identity, time } = setUp()
    const tokens = await identity.issuer.issue({
      subject: 'alice',
      scope: ['notes:read'],
      clientId: demoClientId,
    })
    expect(tokens.expiresIn).toBe(900)
    const jwks = await identity.issuer.jwks()
    expect(jwks.keys).toEqual([
      {
        kty: 'EC',
        crv: 'P-256',
        x: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
        y: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
        kid: expect.stringMatching(/^demo-[A-Za-z0-9_-]{8}$/),
        alg: 'ES256',
        use: 'sig',
      },
    ])
    const { header, payload } = verifiedParts(tokens.accessToken, jwks.keys[0] as JsonWebKey)
    expect(header).toEqual({ alg: 'ES256', kid: jwks.keys[0]?.kid, typ: 'at+jwt' })
    expect(payload).toEqual({
      iss: demoIssuer,
      sub: 'alice',
      aud: demoAudience,
      scope: 'notes:read',
      client_id: 'notes-demo',
      jti: tokens.accessTokenId,
      iat: time.clock.now() / 1000,
      exp: time.clock.now() / 1000 + 900,
    })
  })

  it('makes a new key each time: tokens of another start do not verify', async () => {
    const first = setUp()
    const second = setUp()
    const token = (await first.identity.issuer.issue({ subject: 'alice', clientId: demoClientId }))
      .accessToken
    expect((await first.identity.verifier.verify(token, first.now())).principal.id).toBe('alice')
    await expect(second.identity.verifier.verify(token, second.now())).rejects.toMatchObject({
      reason: 'key',
    })
  })

  it('rotates refresh tokens, and a reuse revokes the session, access tokens included', async () => {
    const { identity, now } = setUp()
    const first = await identity.issuer.issue({ subject: 'alice', clientId: demoClientId })
    const second = await identity.issuer.refresh(first.refreshToken)
    expect(second.refreshToken).not.toBe(first.refreshToken)
    expect((await identity.verifier.verify(second.accessToken, now())).principal.id).toBe('alice')

    await expect(identity.issuer.refresh(first.refreshToken)).rejects.toMatchObject({ reason: 'reused' })
    await expect(identity.verifier.verify(second.accessToken, now())).rejects.toMatchObject({
      reason: 'revoked',
    })
    await expect(identity.verifier.verify(first.accessToken, now())).rejects.toMatchObject({
      reason: 'revoked',
    })
    await expect(identity.issuer.refresh(second.refreshToken)).rejects.toMatchObject({ reason: 'revoked' })
  })

  it('signs a session out from any of its access tokens, and no other session', async () => {
    const { identity, now } = setUp()
    const first = await identity.issuer.issue({ subject: 'alice', clientId: demoClientId })
    const rotated = await identity.issuer.refresh(first.refreshToken)
    const other = await identity.issuer.issue({ subject: 'alice', clientId: demoClientId })
    const claims = await identity.verifier.verify(first.accessToken, now())
    await identity.signOut(claims.tokenId as string, claims.expiresAt)
    await expect(identity.verifier.verify(first.accessToken, now())).rejects.toMatchObject({
      reason: 'revoked',
    })
    await expect(identity.verifier.verify(rotated.accessToken, now())).rejects.toMatchObject({
      reason: 'revoked',
    })
    await expect(identity.issuer.refresh(rotated.refreshToken)).rejects.toMatchObject({ reason: 'revoked' })
    expect((await identity.verifier.verify(other.accessToken, now())).principal.id).toBe('alice')
    expect((await identity.issuer.refresh(other.refreshToken)).tokenType).toBe('Bearer')
  })

  it('refuses tokens once expired, and sessions after a week', async () => {
    const { identity, time, now } = setUp()
    const first = await identity.issuer.issue({ subject: 'alice', clientId: demoClientId })
    time.advance(15 * 60_000 + 30_001)
    await expect(identity.verifier.verify(first.accessToken, now())).rejects.toMatchObject({
      reason: 'expired',
    })
    const hour = 3_600_000
    let refresh = (await identity.issuer.issue({ subject: 'alice', clientId: demoClientId })).refreshToken
    for (let i = 0; i < 7; i++) {
      time.advance(23 * hour)
      refresh = (await identity.issuer.refresh(refresh)).refreshToken
    }
    time.advance(7 * hour)
    await expect(identity.issuer.refresh(refresh)).rejects.toMatchObject({ reason: 'expired' })
  })

  it('issues sk_test_ API keys', async () => {
    const { identity } = setUp()
    const { key } = await identity.apiKeys.issue({ owner: 'alice', scopes: ['notes:read'] })
    expect(key).toMatch(/^sk_test_[0-9A-Za-z]{12}_[0-9A-Za-z]{28}$/)
    expect(await identity.apiKeys.verify(key)).toMatchObject({ valid: true, metadata: { owner: 'alice' } })
  })
})
