import {
  createTokenIssuer,
  createTokenVerifier,
  type Duration,
  InvalidTokenError,
  RefreshTokenError,
  type TokenIssuer,
  type TokenVerifier,
} from '@sec/core'
import { describeWithRedis, type RedisTestServer, startRedisServer } from '@sec/testkit'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { redisRevocationStore } from '../revocation/redis-revocation-store.js'
import { freshPrefix } from '../testing/redis-topologies.js'
import { functionalTimeoutMs } from '../testing/test-settings.js'
import { redisRefreshTokenStore } from './redis-refresh-token-store.js'

const issuerId = 'https://api.example.com/'
const audience = 'https://api.example.com'

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

describeWithRedis('createTokenIssuer with redisRefreshTokenStore, end to end', () => {
  let server: RedisTestServer
  let key: CryptoKeyPair
  const clients: Redis[] = []
  beforeAll(async () => {
    server = await startRedisServer()
    key = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify'])
  })
  afterAll(async () => {
    for (const client of clients) client.disconnect()
    await server?.stop()
  })

  /** One app instance: its own client, issuer and verifier, sharing Redis with the others. */
  async function instance(
    prefix: string,
    refreshReuseGrace: Duration = 0,
  ): Promise<{ issuer: TokenIssuer; verifier: TokenVerifier }> {
    const client = new Redis(server.port, '127.0.0.1')
    clients.push(client)
    const revocations = redisRevocationStore(client, {
      prefix: `${prefix}revoked:`,
      timeoutMs: functionalTimeoutMs,
    })
    const issuer = createTokenIssuer({
      issuer: issuerId,
      audience,
      signingKeys: [{ key, kid: 'k1' }],
      store: redisRefreshTokenStore(client, { prefix: `${prefix}refresh:`, timeoutMs: functionalTimeoutMs }),
      revocations,
      refreshReuseGrace,
    })
    const verifier = createTokenVerifier({
      issuer: issuerId,
      audience,
      keys: await issuer.jwks(),
      revocationStore: revocations,
    })
    return { issuer, verifier }
  }

  it('rotates refresh tokens across instances, and revokes the family and its access tokens on reuse', async () => {
    const prefix = freshPrefix('issuer')
    const a = await instance(prefix)
    const b = await instance(prefix)
    const first = await a.issuer.issue({ subject: 'alice', scope: 'notes:read' })
    const second = await b.issuer.refresh(first.refreshToken)
    expect(second.refreshToken).not.toBe(first.refreshToken)
    expect(second.scope).toBe('notes:read')
    const third = await a.issuer.refresh(second.refreshToken)
    for (const tokens of [first, second, third])
      expect((await b.verifier.verify(tokens.accessToken)).principal.id).toBe('alice')

    expect((await refusal(b.issuer.refresh(first.refreshToken), RefreshTokenError)).reason).toBe('reused')

    expect((await refusal(a.issuer.refresh(third.refreshToken), RefreshTokenError)).reason).toBe('revoked')
    for (const tokens of [first, second, third])
      for (const { verifier } of [a, b])
        expect((await refusal(verifier.verify(tokens.accessToken), InvalidTokenError)).reason).toBe('revoked')

    const other = await b.issuer.issue({ subject: 'bob' })
    expect((await a.issuer.refresh(other.refreshToken)).scope).toBe('')
  })

  it('lets exactly one of 20 concurrent refreshes on two instances win within the reuse grace, keeping the family', async () => {
    const prefix = freshPrefix('issuer-race')
    const a = await instance(prefix, '30s')
    const b = await instance(prefix, '30s')
    const tokens = await a.issuer.issue({ subject: 'alice' })
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? a : b).issuer.refresh(tokens.refreshToken)),
    )
    const won = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []))
    const refused = results.flatMap((result) => (result.status === 'rejected' ? [result.reason] : []))
    expect(won).toHaveLength(1)
    expect(refused.map((error) => (error as RefreshTokenError).reason)).toEqual(
      refused.map(() => 'concurrent'),
    )
    const next = await b.issuer.refresh(won[0]?.refreshToken ?? '')
    expect((await a.verifier.verify(next.accessToken)).principal.id).toBe('alice')
  })

  it('without a reuse grace, a concurrent refresh is taken for a replay and signs the family out', async () => {
    const prefix = freshPrefix('issuer-strict')
    const a = await instance(prefix)
    const b = await instance(prefix)
    const tokens = await a.issuer.issue({ subject: 'alice' })
    const results = await Promise.allSettled([
      a.issuer.refresh(tokens.refreshToken),
      b.issuer.refresh(tokens.refreshToken),
    ])
    const reasons = results.map((result) =>
      result.status === 'rejected' ? (result.reason as RefreshTokenError).reason : 'issued',
    )
    expect(reasons).toContain('reused')
    for (const result of results)
      if (result.status === 'fulfilled')
        expect((await refusal(a.issuer.refresh(result.value.refreshToken), RefreshTokenError)).reason).toBe(
          'revoked',
        )
  })

  it('signs out: a revoked refresh token is refused afterwards, on every instance', async () => {
    const prefix = freshPrefix('issuer-logout')
    const a = await instance(prefix)
    const b = await instance(prefix)
    const tokens = await a.issuer.issue({ subject: 'alice' })
    expect(await b.issuer.revoke(tokens.refreshToken)).toBe(true)
    expect(await b.issuer.revoke('x'.repeat(43))).toBe(false)
    expect((await refusal(a.issuer.refresh(tokens.refreshToken), RefreshTokenError)).reason).toBe('revoked')
    expect((await refusal(a.verifier.verify(tokens.accessToken), InvalidTokenError)).reason).toBe('revoked')
  })
})
