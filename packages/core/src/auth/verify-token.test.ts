import * as jose from 'jose'
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { memoryRevocationStore } from './revocation-store.js'
import { createKeyPair, signToken, type TestKeyPair } from './test-issuer.js'
import { InvalidTokenError } from './token-errors.js'
import { createTokenVerifier, maxTokenLength } from './verify-token.js'

vi.mock('jose', async (importOriginal) => {
  const original = await importOriginal<typeof import('jose')>()
  return { ...original, jwtVerify: vi.fn(original.jwtVerify) }
})

const now = Date.UTC(2026, 0, 15, 12, 0, 0)
const nowSeconds = now / 1000
const issuer = 'https://auth.example.com/'
const audience = 'https://api.example.com'

let rsa: TestKeyPair
let ec: TestKeyPair
const claims = {
  iss: issuer,
  aud: audience,
  sub: 'user-1',
  scope: 'notes:read notes:write',
  iat: nowSeconds - 10,
  exp: nowSeconds + 600,
  jti: 'jti-1',
}

beforeAll(async () => {
  rsa = await createKeyPair('RS256', 'rsa-1')
  ec = await createKeyPair('ES256', 'ec-1')
})

beforeEach(() => {
  vi.mocked(jose.jwtVerify).mockClear()
})

function verifier(extra: Partial<Parameters<typeof createTokenVerifier>[0]> = {}) {
  return createTokenVerifier({ issuer, audience, keys: { keys: [rsa.publicJwk, ec.publicJwk] }, ...extra })
}

async function refusal(promise: Promise<unknown>): Promise<InvalidTokenError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(InvalidTokenError)
  return error as InvalidTokenError
}

describe('createTokenVerifier', () => {
  it('verifies a token and describes its principal', async () => {
    const token = await signToken(rsa, claims)
    const verified = await verifier().verify(token, { now })
    expect(verified.principal).toEqual({
      id: 'user-1',
      kind: 'user',
      scopes: ['notes:read', 'notes:write'],
      claims,
    })
    expect(verified.issuer).toBe(issuer)
    expect(verified.tokenId).toBe('jti-1')
    expect(verified.clientId).toBeUndefined()
    expect(verified.expiresAt).toBe((nowSeconds + 600) * 1000)
    expect(verified.header).toEqual({ alg: 'RS256', kid: 'rsa-1' })
  })

  it("calls a token a client's own when sub equals client_id, and reads scp", async () => {
    const token = await signToken(ec, {
      ...claims,
      sub: 'svc',
      client_id: 'svc',
      scope: undefined,
      scp: ['a'],
    })
    const { principal, clientId } = await verifier().verify(token, { now })
    expect(principal.kind).toBe('client')
    expect(principal.scopes).toEqual(['a'])
    expect(clientId).toBe('svc')
  })

  it('answers a repeated token from its cache, without verifying the signature again', async () => {
    const v = verifier()
    const token = await signToken(rsa, claims)
    const first = await v.verify(token, { now })
    const second = await v.verify(token, { now: now + 1000 })
    expect(second).toBe(first)
    expect(jose.jwtVerify).toHaveBeenCalledTimes(1)
  })

  it('verifies again once the cached token expired, and then refuses it', async () => {
    const v = verifier({ clockTolerance: 0 })
    const token = await signToken(rsa, claims)
    await v.verify(token, { now })
    const error = await refusal(v.verify(token, { now: (nowSeconds + 600) * 1000 }))
    expect(error.reason).toBe('expired')
    expect(jose.jwtVerify).toHaveBeenCalledTimes(2)
  })

  it('keeps a cached token no longer than maxTokenAge allows', async () => {
    const v = verifier({ maxTokenAge: '1m', clockTolerance: 0 })
    const token = await signToken(rsa, claims)
    await v.verify(token, { now })
    const error = await refusal(v.verify(token, { now: (nowSeconds - 10 + 61) * 1000 }))
    expect(error.reason).toBe('too-old')
    expect(jose.jwtVerify).toHaveBeenCalledTimes(2)
  })

  it('verifies every time with cacheSize: 0', async () => {
    const v = verifier({ cacheSize: 0 })
    const token = await signToken(rsa, claims)
    await v.verify(token, { now })
    await v.verify(token, { now })
    expect(jose.jwtVerify).toHaveBeenCalledTimes(2)
  })

  it('never lets the cache skip the revocation check', async () => {
    const revocationStore = memoryRevocationStore({ clock: { now: () => now } })
    const v = verifier({ revocationStore })
    const token = await signToken(rsa, claims)
    await v.verify(token, { now })
    await revocationStore.revoke('jti-1', claims.exp * 1000)
    const error = await refusal(v.verify(token, { now }))
    expect(error.reason).toBe('revoked')
    expect(error.code).toBe('SEC_INVALID_TOKEN')
    expect(jose.jwtVerify).toHaveBeenCalledTimes(1)
  })

  it('awaits an asynchronous revocation store', async () => {
    const revoked = new Set(['jti-1'])
    const v = verifier({
      revocationStore: { revoke: async () => {}, isRevoked: async (jti) => revoked.has(jti) },
    })
    expect((await refusal(v.verify(await signToken(rsa, claims), { now }))).reason).toBe('revoked')
    await expect(v.verify(await signToken(rsa, { ...claims, jti: 'jti-2' }), { now })).resolves.toBeDefined()
  })

  it('honours the clock tolerance, and nbf', async () => {
    const v = verifier({ clockTolerance: '30s', cacheSize: 0 })
    const expired = await signToken(rsa, { ...claims, exp: nowSeconds - 20 })
    await expect(v.verify(expired, { now })).resolves.toBeDefined()
    const early = await signToken(rsa, { ...claims, nbf: nowSeconds + 20 })
    await expect(v.verify(early, { now })).resolves.toBeDefined()
    expect((await refusal(v.verify(early, { now: now - 11_000 }))).reason).toBe('not-yet-valid')
  })

  it('takes the time from its clock when none is given', async () => {
    const v = verifier({ clock: { now: () => now + 3_600_000 }, clockTolerance: 0 })
    const error = await refusal(v.verify(await signToken(rsa, claims)))
    expect(error.reason).toBe('expired')
  })

  it('requires the configured claims', async () => {
    const v = verifier({ requiredClaims: ['tenant'] })
    const error = await refusal(v.verify(await signToken(rsa, claims), { now }))
    expect(error.reason).toBe('claims')
    expect(error.claim).toBe('tenant')
    await expect(v.verify(await signToken(rsa, { ...claims, tenant: 't1' }), { now })).resolves.toBeDefined()
  })

  it('accepts at+jwt and application/at+jwt in strict mode', async () => {
    const v = verifier({ strict: true })
    const strictClaims = { ...claims, client_id: 'c1' }
    await expect(
      v.verify(await signToken(rsa, strictClaims, { typ: 'at+jwt' }), { now }),
    ).resolves.toBeDefined()
    await expect(
      v.verify(await signToken(rsa, strictClaims, { typ: 'application/at+jwt' }), { now }),
    ).resolves.toBeDefined()
  })

  it('refuses a token over the length limit before parsing it', async () => {
    const error = await refusal(verifier().verify('a'.repeat(maxTokenLength + 1), { now }))
    expect(error.reason).toBe('malformed')
    expect(jose.jwtVerify).not.toHaveBeenCalled()
  })

  it('never puts the token or a claim value in the error message', async () => {
    const token = await signToken(rsa, { ...claims, aud: 'https://secret-audience.example' })
    const error = await refusal(verifier().verify(token, { now }))
    expect(error.message).toBe('The token was refused: claims (aud).')
    expect(error.cause).toBeUndefined()
  })

  it('checks its options', () => {
    expect(() => createTokenVerifier({ issuer, audience } as never)).toThrow(
      /^createTokenVerifier: needs keys to verify tokens/,
    )
    expect(() => createTokenVerifier({ issuer, audience, keys: { keys: [] }, realm: 'x' } as never)).toThrow(
      'createTokenVerifier.realm: is not a known option',
    )
  })
})
