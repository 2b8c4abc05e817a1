import { memoryRevocationStore, SecConfigError, systemClock } from '@sec/core'
import { describeWithRedis } from '@sec/testkit'
import type { Cluster, Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RedisStoreError } from '../errors/redis-store-error.js'
import { fakeClock } from '../testing/fake-clock.js'
import {
  freshPrefix,
  topologies,
  unreachableClient,
  useRedisTopologies,
} from '../testing/redis-topologies.js'
import { revocationStoreContract } from '../testing/revocation-store-contract.js'
import { functionalTimeoutMs } from '../testing/test-settings.js'
import { redisRevocationStore } from './redis-revocation-store.js'

const minute = 60_000
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

describe('memoryRevocationStore (the contract the Redis store must match)', () => {
  revocationStoreContract((clock) => memoryRevocationStore({ clock }))
})

describeWithRedis('redisRevocationStore', () => {
  const redis = useRedisTopologies()

  describe.each(topologies)('on a %s', (topology) => {
    let client: Redis | Cluster
    beforeAll(async () => {
      client = await redis.connect(topology)
    })

    describe('the revocation store contract', () => {
      revocationStoreContract((clock) =>
        redisRevocationStore(client, { prefix: freshPrefix('rev'), timeoutMs: functionalTimeoutMs, clock }),
      )
    })

    it('keeps one key per token id, holding the end, with a TTL until it', async () => {
      const clock = fakeClock()
      const store = redisRevocationStore(client, { timeoutMs: functionalTimeoutMs, clock })
      const jti = `layout-${topology}`
      await store.revoke(jti, clock.now() + 10 * minute)
      expect(await client.type(`sec:revoked:${jti}`)).toBe('string')
      expect(await client.get(`sec:revoked:${jti}`)).toBe(String(clock.now() + 10 * minute))
      const ttl = await client.pttl(`sec:revoked:${jti}`)
      expect(ttl).toBeGreaterThan(9 * minute)
      expect(ttl).toBeLessThanOrEqual(10 * minute)
      await store.revoke(jti, clock.now() + 20 * minute)
      expect(await client.pttl(`sec:revoked:${jti}`)).toBeGreaterThan(19 * minute)
      await store.revoke(jti, clock.now() + 5 * minute)
      expect(await client.get(`sec:revoked:${jti}`)).toBe(String(clock.now() + 20 * minute))
      expect(await client.pttl(`sec:revoked:${jti}`)).toBeGreaterThan(19 * minute)
    })

    it('writes nothing for an end already past', async () => {
      const prefix = freshPrefix('rev-past')
      const store = redisRevocationStore(client, { prefix, timeoutMs: functionalTimeoutMs })
      await store.revoke('past', Date.now() - 1)
      expect(await client.exists(`${prefix}past`)).toBe(0)
    })

    it('leaves expiry to Redis: the key is gone soon after the end, on the real clock', async () => {
      const prefix = freshPrefix('rev-ttl')
      const store = redisRevocationStore(client, { prefix, timeoutMs: functionalTimeoutMs })
      await store.revoke('short', Date.now() + 300)
      expect(await client.exists(`${prefix}short`)).toBe(1)
      const deadline = Date.now() + 10_000
      while ((await client.exists(`${prefix}short`)) === 1 && Date.now() < deadline) await sleep(50)
      expect(await client.exists(`${prefix}short`)).toBe(0)
      expect(await store.isRevoked('short')).toBe(false)
    })

    it('rejects with SEC_REDIS_REPLY for a stored value it did not write, and overwrites it on revoke', async () => {
      const prefix = freshPrefix('rev-bad')
      const store = redisRevocationStore(client, { prefix, timeoutMs: functionalTimeoutMs })
      for (const value of ['soon', '', ' ']) {
        await client.set(`${prefix}bad`, value)
        const error = await store.isRevoked('bad').catch((e: unknown) => e)
        expect(error).toBeInstanceOf(RedisStoreError)
        expect(error).toMatchObject({
          code: 'SEC_REDIS_REPLY',
          message: `The revocation at ${prefix}bad in Redis is not a time.`,
        })
      }
      await store.revoke('bad', Date.now() + minute)
      expect(await store.isRevoked('bad')).toBe(true)

      await client.hset(`${prefix}hash`, 'until', '1')
      await expect(store.isRevoked('hash')).rejects.toMatchObject({
        code: 'SEC_REDIS_REPLY',
        message: expect.stringContaining('WRONGTYPE'),
      })
      await expect(store.revoke('hash', Date.now() + minute)).rejects.toMatchObject({
        code: 'SEC_REDIS_REPLY',
      })
    })
  })

  it('rejects with a RedisStoreError when Redis cannot be reached', async () => {
    const client = await unreachableClient()
    try {
      const store = redisRevocationStore(client, { timeoutMs: 200 })
      for (const call of [() => store.isRevoked('x'), () => store.revoke('x', Date.now() + minute)]) {
        const error = await call().catch((e: unknown) => e)
        expect(error).toBeInstanceOf(RedisStoreError)
        expect(['SEC_REDIS_UNAVAILABLE', 'SEC_REDIS_TIMEOUT']).toContain((error as RedisStoreError).code)
      }
      while (client.status !== 'reconnecting') await sleep(5)
      await expect(store.isRevoked('x')).rejects.toMatchObject({
        code: 'SEC_REDIS_UNAVAILABLE',
        message: 'Redis is not connected (client status: reconnecting).',
      })
    } finally {
      client.disconnect()
    }
  })
})

describe('redisRevocationStore options', () => {
  let client: Redis
  beforeAll(async () => {
    client = await unreachableClient()
  })
  afterAll(() => {
    client.disconnect()
  })

  it('accepts every option and none', () => {
    expect(typeof redisRevocationStore(client).isRevoked).toBe('function')
    expect(typeof redisRevocationStore(client, {}).revoke).toBe('function')
    expect(
      typeof redisRevocationStore(client, { prefix: '', timeoutMs: 60_000, clock: systemClock }).revoke,
    ).toBe('function')
  })

  it.each([
    [{ prefx: 'x' }, 'redisRevocationStore.prefx', 'is not a known option'],
    [{ prefix: 1 }, 'redisRevocationStore.prefix', "must be a string such as 'sec:revoked:'"],
    [{ prefix: 'a{b}' }, 'redisRevocationStore.prefix', 'must not contain `{` or `}`'],
    [{ timeoutMs: 0 }, 'redisRevocationStore.timeoutMs', 'above 0 and at most 60000, such as 100; got 0'],
    [{ timeoutMs: '100' }, 'redisRevocationStore.timeoutMs', 'got 100'],
    [{ clock: Date.now }, 'redisRevocationStore.clock', 'must be an object with a now() method'],
    ['sec:', 'redisRevocationStore.options', 'must be an object such as `{ prefix, timeoutMs, clock }`'],
  ])('refuses %j at %s', (options, path, message) => {
    let error: unknown
    try {
      redisRevocationStore(client, options as never)
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(SecConfigError)
    expect(error).toMatchObject({ path, message: expect.stringContaining(message) })
  })

  it('refuses a client that is not ioredis', () => {
    expect(() => redisRevocationStore({} as never)).toThrow(SecConfigError)
    expect(() => redisRevocationStore({} as never)).toThrow(
      'redisRevocationStore.client: must be an ioredis client',
    )
  })

  it('refuses an end too far away without calling Redis', async () => {
    const store = redisRevocationStore(client)
    await expect(store.revoke('x', Number.POSITIVE_INFINITY)).rejects.toMatchObject({
      code: 'SEC_REDIS_ARGUMENT',
      message: 'redisRevocationStore: until must be a time at most 1000000000000000 ms away; got Infinity.',
    })
    expect(client.status).toBe('wait')
  })
})
