import { memoryRefreshTokenStore, SecConfigError } from '@sec/core'
import { describeWithRedis } from '@sec/testkit'
import { Cluster, type Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RedisStoreError } from '../errors/redis-store-error.js'
import { fakeClock, fakeClockStart } from '../testing/fake-clock.js'
import {
  freshPrefix,
  topologies,
  unreachableClient,
  useRedisTopologies,
} from '../testing/redis-topologies.js'
import { refreshTokenStoreContract, storedToken } from '../testing/refresh-token-store-contract.js'
import { functionalTimeoutMs } from '../testing/test-settings.js'
import { redisRefreshTokenStore } from './redis-refresh-token-store.js'

const minute = 60_000
const day = 24 * 60 * minute
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

describe('memoryRefreshTokenStore (the contract the Redis store must match)', () => {
  refreshTokenStoreContract((clock) => memoryRefreshTokenStore({ clock }))
})

describeWithRedis('redisRefreshTokenStore', () => {
  const redis = useRedisTopologies()

  describe.each(topologies)('on a %s', (topology) => {
    let client: Redis | Cluster
    beforeAll(async () => {
      client = await redis.connect(topology)
    })

    describe('the refresh token store contract', () => {
      refreshTokenStoreContract((clock) =>
        redisRefreshTokenStore(client, {
          prefix: freshPrefix('refresh'),
          timeoutMs: functionalTimeoutMs,
          clock,
        }),
      )
    })

    it("keeps a family's keys in its slot, each expiring with the token or the family", async () => {
      const prefix = freshPrefix('refresh-layout')
      const clock = fakeClock()
      const store = redisRefreshTokenStore(client, { prefix, timeoutMs: functionalTimeoutMs, clock })
      const token = storedToken('t1', { familyId: 'fam{1}', expiresAt: fakeClockStart + day })
      await store.add(token)
      const tag = '{fam%7B1%7D}'
      const keys = {
        family: `${prefix}hash:${token.hash}`,
        token: `${prefix}${tag}:token:${token.hash}`,
        tokens: `${prefix}${tag}:tokens`,
        revoked: `${prefix}${tag}:revoked`,
      }
      expect(await client.get(keys.family)).toBe('fam{1}')
      expect(await client.hgetall(keys.token)).toEqual({
        token: JSON.stringify(token),
        expiresAt: String(token.expiresAt),
      })
      expect(await client.smembers(keys.tokens)).toEqual([token.hash])
      for (const key of [keys.family, keys.token]) {
        const ttl = await client.pttl(key)
        expect(ttl).toBeGreaterThan(day - minute)
        expect(ttl).toBeLessThanOrEqual(day)
      }
      const familyTtl = await client.pttl(keys.tokens)
      expect(familyTtl).toBeGreaterThan(30 * day - minute)
      expect(familyTtl).toBeLessThanOrEqual(30 * day)

      clock.advance(5)
      await store.consume(token.hash)
      expect(await client.hget(keys.token, 'spentAt')).toBe(String(fakeClockStart + 5))

      await store.add(storedToken('t2', { familyId: 'fam{1}', familyExpiresAt: fakeClockStart + 40 * day }))
      expect(await client.pttl(keys.tokens)).toBeGreaterThan(40 * day - minute)
      await store.add(storedToken('t3', { familyId: 'fam{1}', familyExpiresAt: fakeClockStart + 31 * day }))
      expect(await client.pttl(keys.tokens)).toBeGreaterThan(40 * day - minute)

      await store.revokeFamily('fam{1}')
      expect(await client.get(keys.revoked)).toBe('1')
      expect(await client.pttl(keys.revoked)).toBeGreaterThan(40 * day - 2 * minute)

      if (client instanceof Cluster) {
        const node = client.nodes('master')[0] as Redis
        const slots = await Promise.all(
          [keys.token, keys.tokens, keys.revoked].map((key) => node.cluster('KEYSLOT', key)),
        )
        expect(new Set(slots).size).toBe(1)
      }
    })

    it('forgets a token at its expiry on the real clock: Redis drops its keys', async () => {
      const prefix = freshPrefix('refresh-ttl')
      const store = redisRefreshTokenStore(client, { prefix, timeoutMs: functionalTimeoutMs })
      const token = storedToken('short', { expiresAt: Date.now() + 300, familyExpiresAt: Date.now() + 600 })
      await store.add(token)
      const deadline = Date.now() + 10_000
      while ((await client.exists(`${prefix}hash:${token.hash}`)) === 1 && Date.now() < deadline)
        await sleep(50)
      expect(await store.consume(token.hash)).toBeUndefined()
      while ((await client.exists(`${prefix}{family-1}:tokens`)) === 1 && Date.now() < deadline)
        await sleep(50)
      expect(await store.revokeFamily('family-1')).toEqual([])
    })

    it('rejects with SEC_REDIS_REPLY, never a wrong answer, for stored data it did not write', async () => {
      const prefix = freshPrefix('refresh-bad')
      const store = redisRefreshTokenStore(client, {
        prefix,
        timeoutMs: functionalTimeoutMs,
        clock: fakeClock(),
      })
      const token = storedToken('t1')
      const key = `${prefix}{family-1}:token:${token.hash}`
      const corruptions: [string, string][] = [
        ['{"hash":', 'not JSON'],
        ['[]', 'not an object'],
        [JSON.stringify({ ...token, expiresAt: 'later' }), 'expiresAt'],
        [JSON.stringify({ ...token, subject: undefined }), 'subject'],
        [JSON.stringify({ ...token, claims: ['admin'] }), 'claims'],
        [JSON.stringify({ ...token, clientId: 7 }), 'clientId'],
      ]
      for (const [json, member] of corruptions) {
        await store.add(token)
        await client.hset(key, 'token', json)
        const error = await store.consume(token.hash).catch((e: unknown) => e)
        expect(error).toBeInstanceOf(RedisStoreError)
        expect(error).toMatchObject({
          code: 'SEC_REDIS_REPLY',
          message: `The refresh token at ${key} in Redis is malformed: ${member}.`,
        })
      }
      await client.hset(key, 'token', JSON.stringify({ ...token, familyId: 'family-2' }))
      await expect(store.consume(token.hash)).rejects.toMatchObject({
        code: 'SEC_REDIS_REPLY',
        message: `The refresh token at ${key} in Redis belongs to another key.`,
      })
      await expect(store.revokeFamily('family-1')).rejects.toMatchObject({ code: 'SEC_REDIS_REPLY' })

      const other = storedToken('t2', { familyId: 'family-3' })
      await store.add(other)
      await client.hset(`${prefix}{family-3}:token:${other.hash}`, 'expiresAt', 'soon')
      await expect(store.consume(other.hash)).rejects.toMatchObject({ code: 'SEC_REDIS_REPLY' })
      await client.hset(
        `${prefix}{family-3}:token:${other.hash}`,
        'expiresAt',
        String(other.expiresAt),
        'spentAt',
        'x',
      )
      await expect(store.consume(other.hash)).rejects.toMatchObject({
        code: 'SEC_REDIS_REPLY',
        message: `The refresh token at ${prefix}{family-3}:token:${other.hash} in Redis is malformed: spentAt.`,
      })
      await client.set(`${prefix}{family-3}:tokens`, 'not a set')
      await expect(store.add(storedToken('t3', { familyId: 'family-3' }))).rejects.toMatchObject({
        code: 'SEC_REDIS_REPLY',
        message: expect.stringContaining('WRONGTYPE'),
      })
    })
  })

  it('rejects with a RedisStoreError when Redis cannot be reached', async () => {
    const client = await unreachableClient()
    try {
      const store = redisRefreshTokenStore(client, { timeoutMs: 200 })
      const token = storedToken('t1')
      for (const call of [
        () => store.add(token),
        () => store.consume(token.hash),
        () => store.revokeFamily('f'),
      ]) {
        const error = await call().catch((e: unknown) => e)
        expect(error).toBeInstanceOf(RedisStoreError)
        expect(['SEC_REDIS_UNAVAILABLE', 'SEC_REDIS_TIMEOUT']).toContain((error as RedisStoreError).code)
      }
      while (client.status !== 'reconnecting') await sleep(5)
      await expect(store.consume(token.hash)).rejects.toMatchObject({ code: 'SEC_REDIS_UNAVAILABLE' })
    } finally {
      client.disconnect()
    }
  })
})

describe('redisRefreshTokenStore options and arguments', () => {
  let client: Redis
  beforeAll(async () => {
    client = await unreachableClient()
  })
  afterAll(() => {
    client.disconnect()
  })

  it('accepts every option and none', () => {
    expect(typeof redisRefreshTokenStore(client).consume).toBe('function')
    expect(
      typeof redisRefreshTokenStore(client, { prefix: 'app:', timeoutMs: 50, clock: { now: () => 0 } }).add,
    ).toBe('function')
  })

  it.each([
    [{ maxEntries: 5 }, 'redisRefreshTokenStore.maxEntries', 'is not a known option'],
    [
      { prefix: null },
      'redisRefreshTokenStore.prefix',
      "must be a string such as 'sec:refresh:'; got object",
    ],
    [{ prefix: 'a}' }, 'redisRefreshTokenStore.prefix', 'must not contain `{` or `}`'],
    [{ timeoutMs: -1 }, 'redisRefreshTokenStore.timeoutMs', 'such as 500; got -1'],
    [{ clock: { now: 1 } }, 'redisRefreshTokenStore.clock', 'must be an object with a now() method'],
    [42, 'redisRefreshTokenStore.options', 'must be an object such as `{ prefix, timeoutMs, clock }`'],
  ])('refuses %j at %s', (options, path, message) => {
    let error: unknown
    try {
      redisRefreshTokenStore(client, options as never)
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(SecConfigError)
    expect(error).toMatchObject({ path, message: expect.stringContaining(message) })
  })

  it('refuses a client that is not ioredis', () => {
    expect(() => redisRefreshTokenStore(null as never)).toThrow(
      'redisRefreshTokenStore.client: must be an ioredis client',
    )
  })

  it.each([
    ['an empty hash', storedToken('t', { hash: '' }), 'token.hash must be a non-empty string.'],
    ['an empty family id', storedToken('t', { familyId: '' }), 'token.familyId must be a non-empty string.'],
    [
      'an expiry that is not a time',
      storedToken('t', { expiresAt: Number.NaN }),
      'token.expiresAt must be a time in ms since the epoch; got NaN.',
    ],
    [
      'a family expiry too far away',
      storedToken('t', { familyExpiresAt: 1e300 }),
      'a token or family may last at most 1000000000000000 ms.',
    ],
  ])('refuses to add a token with %s without calling Redis', async (_, token, message) => {
    await expect(redisRefreshTokenStore(client).add(token)).rejects.toMatchObject({
      code: 'SEC_REDIS_ARGUMENT',
      message: `redisRefreshTokenStore: ${message}`,
    })
    expect(client.status).toBe('wait')
  })

  it('lists nothing for an empty family id without calling Redis', async () => {
    expect(await redisRefreshTokenStore(client).revokeFamily('')).toEqual([])
    expect(client.status).toBe('wait')
  })
})
