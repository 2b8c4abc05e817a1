import {
  createTokenIssuer,
  createTokenVerifier,
  InvalidTokenError,
  memoryRefreshTokenStore,
  type TokenIssuer,
} from '@sec/core'
import { describeWithRedis, type RedisTestServer, startRedisServer } from '@sec/testkit'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { functionalTimeoutMs } from '../testing/test-settings.js'
import { redisRevocationStore } from './redis-revocation-store.js'

const issuerId = 'https://api.example.com/'
const audience = 'https://api.example.com'

describeWithRedis('createTokenVerifier with redisRevocationStore, end to end', () => {
  let server: RedisTestServer
  let client: Redis
  let issuer: TokenIssuer
  beforeAll(async () => {
    server = await startRedisServer()
    client = new Redis(server.port, '127.0.0.1')
    await client.ping()
    const key = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
      'sign',
      'verify',
    ])
    issuer = createTokenIssuer({
      issuer: issuerId,
      audience,
      signingKeys: [{ key, kid: 'k1' }],
      store: memoryRefreshTokenStore(),
      revocations: redisRevocationStore(client, { timeoutMs: functionalTimeoutMs }),
    })
  })
  afterAll(async () => {
    client?.disconnect()
    await server?.stop()
  })

  /** A verifier of one app instance: its own client, store and cache, sharing only Redis. */
  async function instance() {
    const own = new Redis(server.port, '127.0.0.1')
    const revocations = redisRevocationStore(own, { timeoutMs: functionalTimeoutMs })
    const verifier = createTokenVerifier({
      issuer: issuerId,
      audience,
      keys: await issuer.jwks(),
      strict: true,
      revocationStore: revocations,
    })
    return { own, revocations, verifier }
  }

  async function refusal(promise: Promise<unknown>): Promise<InvalidTokenError> {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(InvalidTokenError)
    return error as InvalidTokenError
  }

  it('refuses a revoked jti on every instance, cached tokens included, and keeps others valid', async () => {
    const a = await instance()
    const b = await instance()
    try {
      const revoked = await issuer.issue({ subject: 'alice', scope: 'notes:read', clientId: 'web' })
      const kept = await issuer.issue({ subject: 'bob', clientId: 'web' })
      for (const { verifier } of [a, b]) {
        expect((await verifier.verify(revoked.accessToken)).principal.id).toBe('alice')
        expect((await verifier.verify(kept.accessToken)).tokenId).toBe(kept.accessTokenId)
      }

      await a.revocations.revoke(revoked.accessTokenId, revoked.expiresAt)

      expect(await client.get(`sec:revoked:${revoked.accessTokenId}`)).toBe(String(revoked.expiresAt))
      for (const { verifier } of [a, b]) {
        const error = await refusal(verifier.verify(revoked.accessToken))
        expect(error.reason).toBe('revoked')
        expect((await verifier.verify(kept.accessToken)).principal.id).toBe('bob')
      }
    } finally {
      a.own.disconnect()
      b.own.disconnect()
    }
  })

  it('refuses the access token of a family the issuer revoked at logout', async () => {
    const { own, verifier } = await instance()
    try {
      const tokens = await issuer.issue({ subject: 'alice', clientId: 'web' })
      expect((await verifier.verify(tokens.accessToken)).principal.id).toBe('alice')
      expect(await issuer.revoke(tokens.refreshToken)).toBe(true)
      expect((await refusal(verifier.verify(tokens.accessToken))).reason).toBe('revoked')
      const ttl = await client.pttl(`sec:revoked:${tokens.accessTokenId}`)
      expect(ttl).toBeGreaterThan(0)
      expect(ttl).toBeLessThanOrEqual(tokens.expiresAt - Date.now() + 1000)
    } finally {
      own.disconnect()
    }
  })
})
