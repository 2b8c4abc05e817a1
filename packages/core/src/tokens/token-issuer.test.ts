import { decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, type JWK } from 'jose'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  createTokenVerifier,
  InvalidTokenError,
  memoryRevocationStore,
  type RevocationStore,
} from '../auth/index.js'
import { SecConfigError } from '../errors/index.js'
import { memoryRefreshTokenStore, type RefreshTokenStore } from './refresh-token-store.js'
import { NoSigningKeyError, type SigningKey } from './signing-keys.js'
import { RefreshTokenError, TokenRequestError } from './token-errors.js'
import {
  createTokenIssuer,
  retiredKeyGrace,
  type TokenIssuerOptions,
  tokenResponseBody,
} from './token-issuer.js'

const issuerId = 'https://api.example.com/'
const audience = 'https://api.example.com'
const start = Date.UTC(2026, 0, 15, 12, 0, 0)
const minute = 60_000

let now = start
const clock = { now: () => now }
let es256: CryptoKeyPair
let ed25519: CryptoKeyPair
let privateJwk: JWK

beforeAll(async () => {
  es256 = await generateKeyPair('ES256')
  ed25519 = await generateKeyPair('EdDSA')
  privateJwk = await exportJWK((await generateKeyPair('ES256', { extractable: true })).privateKey)
})

function setup(extra: Partial<TokenIssuerOptions> = {}) {
  now = start
  const revocations = memoryRevocationStore({ clock })
  const store = memoryRefreshTokenStore({ clock })
  const issuer = createTokenIssuer({
    issuer: issuerId,
    audience,
    signingKeys: [{ key: es256, kid: 'k1' }],
    store,
    revocations,
    clock,
    ...extra,
  })
  return { issuer, revocations, store }
}

async function verifierFor(
  issuer: { jwks(): Promise<{ keys: JWK[] }> },
  revocations?: RevocationStore,
  strict = false,
) {
  return createTokenVerifier({
    issuer: issuerId,
    audience,
    keys: await issuer.jwks(),
    clock,
    strict,
    cacheSize: 0,
    ...(revocations !== undefined && { revocationStore: revocations }),
  })
}

async function refusal<T extends Error>(
  promise: Promise<unknown>,
  type: new (...args: never[]) => T,
): Promise<T> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(type)
  return error as T
}

describe('createTokenIssuer: access tokens', () => {
  it('issues an ES256 RFC 9068 access token the strict verifier accepts', async () => {
    const { issuer, revocations } = setup()
    const tokens = await issuer.issue({
      subject: 'alice',
      scope: ['notes:read', 'notes:write'],
      clientId: 'web',
      claims: { roles: ['user'] },
    })
    expect(tokens.tokenType).toBe('Bearer')
    expect(tokens.expiresIn).toBe(900)
    expect(tokens.expiresAt).toBe(start + 15 * minute)
    expect(tokens.scope).toBe('notes:read notes:write')
    expect(tokens.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(tokens.refreshTokenExpiresAt).toBe(start + 14 * 24 * 60 * minute)
    expect(decodeProtectedHeader(tokens.accessToken)).toEqual({ alg: 'ES256', kid: 'k1', typ: 'at+jwt' })
    expect(decodeJwt(tokens.accessToken)).toEqual({
      roles: ['user'],
      iss: issuerId,
      sub: 'alice',
      aud: audience,
      scope: 'notes:read notes:write',
      client_id: 'web',
      jti: tokens.accessTokenId,
      iat: start / 1000,
      exp: start / 1000 + 900,
    })
    const verified = await (await verifierFor(issuer, revocations, true)).verify(tokens.accessToken)
    expect(verified.principal).toMatchObject({
      id: 'alice',
      kind: 'user',
      scopes: ['notes:read', 'notes:write'],
    })
    expect(verified.tokenId).toBe(tokens.accessTokenId)
    expect(tokenResponseBody(tokens)).toEqual({
      access_token: tokens.accessToken,
      token_type: 'Bearer',
      expires_in: 900,
      refresh_token: tokens.refreshToken,
      scope: 'notes:read notes:write',
    })
  })

  it('signs with EdDSA and with a private JWK', async () => {
    for (const key of [ed25519, privateJwk]) {
      const { issuer } = setup({ signingKeys: [{ key, kid: 'k' }] })
      const tokens = await issuer.issue({ subject: 'bob', scope: 'notes:read' })
      const jwks = await issuer.jwks()
      expect(jwks.keys).toHaveLength(1)
      expect(Object.keys(jwks.keys[0] as JWK)).not.toContain('d')
      const verified = await (await verifierFor(issuer)).verify(tokens.accessToken)
      expect(verified.principal.id).toBe('bob')
      expect(decodeProtectedHeader(tokens.accessToken).alg).toBe(key === ed25519 ? 'EdDSA' : 'ES256')
    }
  })

  it('leaves out scope and client_id when none is given; the strict verifier then refuses the token', async () => {
    const { issuer } = setup({ audience: [audience, 'https://other.example.com'] })
    const tokens = await issuer.issue({ subject: 'svc' })
    const claims = decodeJwt(tokens.accessToken)
    expect(claims.scope).toBeUndefined()
    expect(claims.client_id).toBeUndefined()
    expect(claims.aud).toEqual([audience, 'https://other.example.com'])
    expect(tokenResponseBody(tokens)).not.toHaveProperty('scope')
    expect((await (await verifierFor(issuer)).verify(tokens.accessToken)).principal.scopes).toEqual([])
    const error = await refusal(
      (await verifierFor(issuer, undefined, true)).verify(tokens.accessToken),
      InvalidTokenError,
    )
    expect(error.claim).toBe('client_id')
  })

  it('expires access tokens after accessTokenTtl', async () => {
    const { issuer } = setup({ accessTokenTtl: '5m' })
    const tokens = await issuer.issue({ subject: 'alice' })
    expect(tokens.expiresIn).toBe(300)
    const verifier = await verifierFor(issuer)
    // The verifier's default clock tolerance is 30 s.
    now = start + 5 * minute + 29_999
    expect((await verifier.verify(tokens.accessToken)).principal.id).toBe('alice')
    now = start + 5 * minute + 30_000
    expect((await refusal(verifier.verify(tokens.accessToken), InvalidTokenError)).reason).toBe('expired')
  })

  it('refuses bad grants with a TokenRequestError naming the field', async () => {
    const { issuer } = setup()
    const cases: [unknown, string][] = [
      [{ subject: '' }, 'subject'],
      [{}, 'subject'],
      [{ subject: 'a', clientId: '' }, 'clientId'],
      [{ subject: 'a', scope: ['ok', 'bad"scope'] }, 'scope[1]'],
      [{ subject: 'a', scope: 'a\\b' }, 'scope'],
      [{ subject: 'a', scope: 42 }, 'scope'],
      [{ subject: 'a', claims: { scp: ['admin'] } }, 'claims.scp'],
      [{ subject: 'a', claims: { exp: 1 } }, 'claims.exp'],
      [{ subject: 'a', claims: [] }, 'claims'],
      [{ subject: 'a', claims: { big: 1n } }, 'claims'],
    ]
    for (const [grant, field] of cases) {
      const error = await refusal(issuer.issue(grant as never), TokenRequestError)
      expect(error.field).toBe(field)
      expect(error.code).toBe('SEC_TOKEN_REQUEST')
    }
  })
})

describe('createTokenIssuer: options', () => {
  const base = { issuer: issuerId, audience, signingKeys: [] as SigningKey[] }
  function configError(options: Record<string, unknown>): SecConfigError {
    try {
      createTokenIssuer({
        ...base,
        signingKeys: [{ key: es256, kid: 'k1' }],
        ...options,
      } as TokenIssuerOptions)
    } catch (error) {
      expect(error).toBeInstanceOf(SecConfigError)
      return error as SecConfigError
    }
    throw new Error('no SecConfigError')
  }

  it('bounds accessTokenTtl to 60 minutes', () => {
    expect(configError({ accessTokenTtl: '61m' }).path).toBe('createTokenIssuer.accessTokenTtl')
    expect(configError({ accessTokenTtl: '2h' }).message).toMatch(/at most '60m'/)
    expect(configError({ accessTokenTtl: 3_600_001 }).path).toBe('createTokenIssuer.accessTokenTtl')
    expect(configError({ accessTokenTtl: '500ms' }).message).toMatch(/at least '1s'/)
    expect(configError({ accessTokenTtl: '15 minutes' }).path).toBe('createTokenIssuer.accessTokenTtl')
    expect(() =>
      createTokenIssuer({ ...base, signingKeys: [{ key: es256, kid: 'k' }], accessTokenTtl: '60m' }),
    ).not.toThrow()
  })

  it('bounds the refresh lifetimes', () => {
    expect(configError({ refreshTokenTtl: '30s' }).path).toBe('createTokenIssuer.refreshTokenTtl')
    expect(configError({ refreshTokenTtl: '2y' }).path).toBe('createTokenIssuer.refreshTokenTtl')
    expect(configError({ refreshTokenTtl: '10d', refreshFamilyTtl: '5d' }).message).toMatch(
      /refreshFamilyTtl: must be at least refreshTokenTtl/,
    )
    expect(configError({ refreshReuseGrace: '61s' }).path).toBe('createTokenIssuer.refreshReuseGrace')
  })

  it('refuses unknown options and missing or malformed identifiers', () => {
    expect(configError({ ttl: '5m' }).path).toBe('createTokenIssuer.ttl')
    expect(configError({ issuer: '' }).path).toBe('createTokenIssuer.issuer')
    expect(configError({ audience: [] }).path).toBe('createTokenIssuer.audience')
    expect(configError({ store: {} }).path).toBe('createTokenIssuer.store')
    expect(configError({ revocations: { revoke() {} } }).path).toBe('createTokenIssuer.revocations')
  })

  it('refuses bad signing keys', async () => {
    const rsa = await generateKeyPair('RS256')
    const publicOnly = await exportJWK(es256.publicKey)
    const cases: [unknown, string, RegExp][] = [
      [[], 'createTokenIssuer.signingKeys', /non-empty list/],
      [[{ key: rsa, kid: 'r' }], 'createTokenIssuer.signingKeys[0].key', /only ECDSA P-256/],
      [[{ key: publicOnly, kid: 'p' }], 'createTokenIssuer.signingKeys[0].key', /public JWK/],
      [
        [{ key: { kty: 'oct', k: 'abc' }, kid: 'o' }],
        'createTokenIssuer.signingKeys[0].key',
        /only EC P-256/,
      ],
      [
        [{ key: { ...privateJwk, alg: 'ES384' }, kid: 'x' }],
        'createTokenIssuer.signingKeys[0].key.alg',
        /ES256/,
      ],
      [[{ key: es256, kid: '../etc' }], 'createTokenIssuer.signingKeys[0].kid', /letters, digits/],
      [
        [
          { key: es256, kid: 'a' },
          { key: ed25519, kid: 'a' },
        ],
        'createTokenIssuer.signingKeys[1].kid',
        /another key/,
      ],
      [[{ key: es256, kid: 'a', notBefore: 'soon' }], 'createTokenIssuer.signingKeys[0].notBefore', /time/],
      [[{ key: es256, kid: 'a', use: 'sig' }], 'createTokenIssuer.signingKeys[0].use', /not a known option/],
      [
        [
          { key: es256, kid: 'a' },
          { key: ed25519, kid: 'b' },
        ],
        'createTokenIssuer.signingKeys',
        /same notBefore/,
      ],
      [
        [
          {
            key: {
              privateKey: es256.privateKey,
              publicKey: (await generateKeyPair('ES256', { extractable: false })).privateKey,
            },
            kid: 'a',
          },
        ],
        'createTokenIssuer.signingKeys[0].key',
        /CryptoKeyPair/,
      ],
    ]
    for (const [signingKeys, path, message] of cases) {
      const error = configError({ signingKeys })
      expect(error.path).toBe(path)
      expect(error.message).toMatch(message)
      expect(error.message).not.toContain(String(privateJwk.d))
    }
  })
})

describe('createTokenIssuer: refresh rotation', () => {
  it('rotates the pair on each refresh and refuses the spent token', async () => {
    const { issuer, revocations } = setup()
    const first = await issuer.issue({
      subject: 'alice',
      scope: 'notes:read',
      clientId: 'web',
      claims: { tenant: 't1' },
    })
    now += minute
    const second = await issuer.refresh(first.refreshToken)
    expect(second.refreshToken).not.toBe(first.refreshToken)
    expect(second.accessTokenId).not.toBe(first.accessTokenId)
    expect(second.scope).toBe('notes:read')
    const claims = decodeJwt(second.accessToken)
    expect(claims).toMatchObject({
      sub: 'alice',
      client_id: 'web',
      scope: 'notes:read',
      tenant: 't1',
      iat: (start + minute) / 1000,
    })
    const verifier = await verifierFor(issuer, revocations, true)
    expect((await verifier.verify(second.accessToken)).principal.id).toBe('alice')
    now += minute
    const third = await issuer.refresh(second.refreshToken)
    expect((await verifier.verify(third.accessToken)).principal.id).toBe('alice')
  })

  it('detects reuse of a spent token and revokes the family, its access tokens included', async () => {
    const { issuer, revocations } = setup()
    const first = await issuer.issue({ subject: 'alice', clientId: 'web' })
    const other = await issuer.issue({ subject: 'bob', clientId: 'web' })
    const second = await issuer.refresh(first.refreshToken)
    const third = await issuer.refresh(second.refreshToken)
    const verifier = await verifierFor(issuer, revocations, true)
    expect((await verifier.verify(third.accessToken)).principal.id).toBe('alice')

    const reuse = await refusal(issuer.refresh(first.refreshToken), RefreshTokenError)
    expect(reuse.reason).toBe('reused')
    expect(reuse.code).toBe('SEC_INVALID_GRANT')
    expect(reuse.message).not.toContain(first.refreshToken)

    for (const token of [first, second, third]) {
      expect(revocations.isRevoked(token.accessTokenId)).toBe(true)
      expect((await refusal(verifier.verify(token.accessToken), InvalidTokenError)).reason).toBe('revoked')
    }
    expect((await refusal(issuer.refresh(third.refreshToken), RefreshTokenError)).reason).toBe('revoked')
    expect((await refusal(issuer.refresh(first.refreshToken), RefreshTokenError)).reason).toBe('revoked')
    expect((await verifier.verify(other.accessToken)).principal.id).toBe('bob')
    expect((await issuer.refresh(other.refreshToken)).scope).toBe('')
  })

  it('lets no pair of two concurrent refreshes with one token survive by default', async () => {
    const { issuer, revocations } = setup()
    const first = await issuer.issue({ subject: 'alice', clientId: 'web' })
    const results = await Promise.allSettled([
      issuer.refresh(first.refreshToken),
      issuer.refresh(first.refreshToken),
    ])
    const reasons = results.map((r) =>
      r.status === 'rejected' ? (r.reason as RefreshTokenError).reason : 'ok',
    )
    expect(reasons.sort()).toEqual(['reused', 'revoked'])
    expect(revocations.isRevoked(first.accessTokenId)).toBe(true)
  })

  it('lets only one of two concurrent refreshes succeed, and keeps the family, within refreshReuseGrace', async () => {
    const { issuer, revocations } = setup({ refreshReuseGrace: '5s' })
    const first = await issuer.issue({ subject: 'alice', clientId: 'web' })
    const results = await Promise.allSettled([
      issuer.refresh(first.refreshToken),
      issuer.refresh(first.refreshToken),
    ])
    const fulfilled = results.filter((r) => r.status === 'fulfilled')
    const rejected = results.filter((r) => r.status === 'rejected')
    expect(fulfilled).toHaveLength(1)
    expect(rejected).toHaveLength(1)
    expect((rejected[0] as PromiseRejectedResult).reason).toMatchObject({
      reason: 'concurrent',
      code: 'SEC_INVALID_GRANT',
    })
    const winner = (fulfilled[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof issuer.refresh>>>).value
    const verifier = await verifierFor(issuer, revocations, true)
    expect((await verifier.verify(winner.accessToken)).principal.id).toBe('alice')
    expect((await verifier.verify(first.accessToken)).principal.id).toBe('alice')
    // Past the grace, the same replay is a reuse and revokes the family.
    now += 5000
    expect((await refusal(issuer.refresh(first.refreshToken), RefreshTokenError)).reason).toBe('reused')
    expect((await refusal(verifier.verify(winner.accessToken), InvalidTokenError)).reason).toBe('revoked')
    expect((await refusal(issuer.refresh(winner.refreshToken), RefreshTokenError)).reason).toBe('revoked')
  })

  it('never lets a pair out when the family is revoked while it is being issued', async () => {
    const inner = memoryRefreshTokenStore({ clock })
    const store: RefreshTokenStore = {
      add: (token) => inner.add(token),
      consume: async (hash) => {
        const found = inner.consume(hash)
        // The family is revoked between the winner's consume and its add.
        if (found?.state === 'active') inner.revokeFamily(found.token.familyId)
        return found
      },
      revokeFamily: (id) => inner.revokeFamily(id),
    }
    const { issuer } = setup({ store })
    const first = await issuer.issue({ subject: 'alice' })
    expect((await refusal(issuer.refresh(first.refreshToken), RefreshTokenError)).reason).toBe('revoked')
  })

  it('expires refresh tokens after refreshTokenTtl and families after refreshFamilyTtl', async () => {
    const { issuer } = setup({ refreshTokenTtl: '1d', refreshFamilyTtl: '2d' })
    const day = 24 * 60 * minute
    const first = await issuer.issue({ subject: 'alice' })
    expect(first.refreshTokenExpiresAt).toBe(start + day)
    now = start + day - 1
    const second = await issuer.refresh(first.refreshToken)
    expect(second.refreshTokenExpiresAt).toBe(start + 2 * day - 1)
    now = start + day + 12 * 60 * minute
    const third = await issuer.refresh(second.refreshToken)
    expect(third.refreshTokenExpiresAt).toBe(start + 2 * day)
    now = start + 2 * day
    expect((await refusal(issuer.refresh(third.refreshToken), RefreshTokenError)).reason).toBe('expired')
  })

  it('refuses malformed and unknown refresh tokens', async () => {
    const { issuer } = setup()
    for (const bad of ['', 'short', `${'a'.repeat(43)}=`, 'a'.repeat(44), `${'a'.repeat(42)}+`, 42]) {
      expect((await refusal(issuer.refresh(bad as string), RefreshTokenError)).reason).toBe('malformed')
    }
    expect((await refusal(issuer.refresh('a'.repeat(43)), RefreshTokenError)).reason).toBe('unknown')
  })

  it('revokes a family on logout', async () => {
    const { issuer, revocations } = setup()
    const first = await issuer.issue({ subject: 'alice', clientId: 'web' })
    const second = await issuer.refresh(first.refreshToken)
    expect(await issuer.revoke(second.refreshToken)).toBe(true)
    expect(await issuer.revoke('a'.repeat(43))).toBe(false)
    expect(await issuer.revoke('not a token')).toBe(false)
    const verifier = await verifierFor(issuer, revocations, true)
    expect((await refusal(verifier.verify(second.accessToken), InvalidTokenError)).reason).toBe('revoked')
    expect((await refusal(issuer.refresh(second.refreshToken), RefreshTokenError)).reason).toBe('revoked')
  })

  it('makes refresh tokens and ids from the random source, and keeps only their hashes', async () => {
    let counter = 0
    const random = (bytes: Uint8Array<ArrayBuffer>) => bytes.fill(++counter)
    const added: string[] = []
    const inner = memoryRefreshTokenStore({ clock })
    const store: RefreshTokenStore = {
      add: (token) => {
        added.push(JSON.stringify(token))
        return inner.add(token)
      },
      consume: (hash) => inner.consume(hash),
      revokeFamily: (id) => inner.revokeFamily(id),
    }
    const { issuer } = setup({ random, store })
    const tokens = await issuer.issue({ subject: 'alice' })
    expect(tokens.refreshToken).toBe('AwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwM')
    expect(tokens.accessTokenId).toBe('02020202-0202-4202-8202-020202020202')
    expect(added).toHaveLength(1)
    expect(added[0]).not.toContain(tokens.refreshToken)
    expect(JSON.parse(added[0] as string)).toMatchObject({
      familyId: 'AQEBAQEBAQEBAQEBAQEBAQ',
      hash: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    })
  })

  it('works without a revocation store: reuse stops the refresh tokens', async () => {
    now = start
    const plain = createTokenIssuer({
      issuer: issuerId,
      audience,
      signingKeys: [{ key: es256, kid: 'k1' }],
      clock,
    })
    const first = await plain.issue({ subject: 'alice' })
    const second = await plain.refresh(first.refreshToken)
    expect((await refusal(plain.refresh(first.refreshToken), RefreshTokenError)).reason).toBe('reused')
    expect((await refusal(plain.refresh(second.refreshToken), RefreshTokenError)).reason).toBe('revoked')
    expect((await (await verifierFor(plain)).verify(second.accessToken)).principal.id).toBe('alice')
  })
})

describe('createTokenIssuer: key rotation and JWKS', () => {
  it('publishes the next key before it signs and the old key until its tokens expired', async () => {
    const rotation = start + 60 * minute
    const { issuer } = setup({
      accessTokenTtl: '10m',
      signingKeys: [
        { key: ed25519, kid: 'next', notBefore: new Date(rotation) },
        { key: es256, kid: 'current', notBefore: start - minute },
      ],
    })
    const kids = async () => (await issuer.jwks()).keys.map((key) => key.kid)

    expect(await kids()).toEqual(['current', 'next'])
    const jwks = await issuer.jwks()
    expect(jwks.keys[0]).toEqual({
      ...(await exportJWK(es256.publicKey)),
      kid: 'current',
      alg: 'ES256',
      use: 'sig',
    })
    expect(jwks.keys[1]).toMatchObject({ kty: 'OKP', crv: 'Ed25519', kid: 'next', alg: 'EdDSA', use: 'sig' })
    // A verifier that fetched the JWKS before the rotation already knows the next key.
    const earlyVerifier = await verifierFor(issuer)

    now = rotation - 1
    const beforeRotation = await issuer.issue({ subject: 'alice' })
    expect(decodeProtectedHeader(beforeRotation.accessToken).kid).toBe('current')

    now = rotation
    const afterRotation = await issuer.issue({ subject: 'alice' })
    expect(decodeProtectedHeader(afterRotation.accessToken)).toMatchObject({ kid: 'next', alg: 'EdDSA' })
    expect((await earlyVerifier.verify(afterRotation.accessToken)).principal.id).toBe('alice')
    expect(await kids()).toEqual(['current', 'next'])

    now = rotation + 9 * minute
    expect((await (await verifierFor(issuer)).verify(beforeRotation.accessToken)).principal.id).toBe('alice')
    now = rotation + 10 * minute + retiredKeyGrace - 1
    expect(await kids()).toEqual(['current', 'next'])

    now = rotation + 10 * minute + retiredKeyGrace
    expect(await kids()).toEqual(['next'])
    const lateVerifier = await verifierFor(issuer)
    expect((await refusal(lateVerifier.verify(afterRotation.accessToken), InvalidTokenError)).reason).toBe(
      'expired',
    )
  })

  it('refuses to sign before any key is valid', async () => {
    const { issuer } = setup({ signingKeys: [{ key: es256, kid: 'later', notBefore: start + 1 }] })
    await expect(issuer.issue({ subject: 'alice' })).rejects.toBeInstanceOf(NoSigningKeyError)
    expect((await issuer.jwks()).keys.map((key) => key.kid)).toEqual(['later'])
  })
})
