import { memoryNonceStore, SecConfigError, SecError } from '@sec/core'
import { describeWithRedis } from '@sec/testkit'
import { Cluster, type Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RedisStoreError } from '../errors/redis-store-error.js'
import { nonceStoreContract } from '../testing/nonce-store-contract.js'
import {
  freshPrefix,
  topologies,
  unreachableClient,
  useRedisTopologies,
} from '../testing/redis-topologies.js'
import { functionalTimeoutMs } from '../testing/test-settings.js'
import { maxNonceLength, redisNonceStore } from './redis-nonce-store.js'

const minute = 60_000
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** Commands the test itself and the client's housekeeping send, which are not records. */
const housekeeping: ReadonlySet<string> = new Set([
  'config|resetstat',
  'info',
  'cluster|slots',
  'cluster|shards',
])

type Stats = Record<string, { calls: number; failed: number }>

/** `INFO commandstats` of every master, summed: calls and failed calls per command the client sent. */
async function commandStats(masters: readonly Redis[]): Promise<Stats> {
  const stats: Stats = {}
  for (const info of await Promise.all(masters.map((node) => node.info('commandstats')))) {
    for (const match of info.matchAll(/^cmdstat_([^:]+):calls=(\d+),.*failed_calls=(\d+)/gm)) {
      const [, name = '', calls = '0', failed = '0'] = match
      if (housekeeping.has(name)) continue
      const entry = stats[name] ?? { calls: 0, failed: 0 }
      stats[name] = { calls: entry.calls + Number(calls), failed: entry.failed + Number(failed) }
    }
  }
  return stats
}

describe('memoryNonceStore (the contract the Redis store must match)', () => {
  nonceStoreContract(() => memoryNonceStore())
})

describeWithRedis('redisNonceStore', () => {
  const redis = useRedisTopologies()

  describe.each(topologies)('on a %s', (topology) => {
    let client: Redis | Cluster
    const masters = (): Redis[] => (client instanceof Cluster ? client.nodes('master') : [client as Redis])
    beforeAll(async () => {
      client = await redis.connect(topology)
    })

    describe('the nonce store contract', () => {
      nonceStoreContract(() =>
        redisNonceStore(client, { prefix: freshPrefix('nonce'), timeoutMs: functionalTimeoutMs }),
      )
    })

    it('sends exactly one SET per record, whether it answers true or false', async () => {
      const prefix = freshPrefix('nonce-count')
      const store = redisNonceStore(client, { prefix, timeoutMs: functionalTimeoutMs })
      await Promise.all(masters().map((node) => node.config('RESETSTAT')))
      const nonces = Array.from({ length: 30 }, (_, i) => `count-${i % 10}`)
      const sequential: boolean[] = []
      for (const nonce of nonces.slice(0, 15)) sequential.push(await store.record(nonce, minute))
      const concurrent = await Promise.all(nonces.slice(15).map((nonce) => store.record(nonce, minute)))
      expect([...sequential, ...concurrent].filter((answer) => answer)).toHaveLength(10)
      expect(await commandStats(masters())).toEqual({ set: { calls: 30, failed: 0 } })
    })

    it('keeps one string key per nonce, the prefix then the nonce, holding 1, expiring within the TTL', async () => {
      const store = redisNonceStore(client, { timeoutMs: functionalTimeoutMs })
      const nonce = `sigv4:AKID:layout-${topology}`
      expect(await store.record(nonce, 10 * minute)).toBe(true)
      const key = `sec:nonce:${nonce}`
      expect(await client.type(key)).toBe('string')
      expect(await client.get(key)).toBe('1')
      const ttl = await client.pttl(key)
      expect(ttl).toBeGreaterThan(9 * minute)
      expect(ttl).toBeLessThanOrEqual(10 * minute)
      expect(await store.record(nonce, 20 * minute)).toBe(false)
      expect(await client.pttl(key)).toBeLessThanOrEqual(10 * minute)
    })

    it('rounds the TTL up to whole milliseconds, and keeps a nonce at least 1 ms', async () => {
      const prefix = freshPrefix('nonce-ttl')
      const store = redisNonceStore(client, { prefix, timeoutMs: functionalTimeoutMs })
      expect(await store.record('fraction', 5000.2)).toBe(true)
      const ttl = await client.pttl(`${prefix}fraction`)
      expect(ttl).toBeGreaterThan(4000)
      expect(ttl).toBeLessThanOrEqual(5001)
      for (const tiny of [0, 0.5, -5, Number.NaN, Number.NEGATIVE_INFINITY]) {
        const nonce = `tiny-${tiny}`
        expect(await store.record(nonce, tiny)).toBe(true)
        expect(await client.pttl(`${prefix}${nonce}`)).toBeLessThanOrEqual(1)
      }
      await sleep(20)
      expect(await client.exists(`${prefix}tiny-0`)).toBe(0)
    })

    it('answers false for a key it did not write, of any type, and leaves it alone', async () => {
      const prefix = freshPrefix('nonce-foreign')
      const store = redisNonceStore(client, { prefix, timeoutMs: functionalTimeoutMs })
      await client.set(`${prefix}string`, 'someone else')
      await client.hset(`${prefix}hash`, 'field', '1')
      expect(await store.record('string', minute)).toBe(false)
      expect(await store.record('hash', minute)).toBe(false)
      expect(await client.get(`${prefix}string`)).toBe('someone else')
      expect(await client.pttl(`${prefix}string`)).toBe(-1)
    })
  })

  it('rejects with SEC_REDIS_REPLY when Redis answers with an error, keeping the cause', async () => {
    const client = await redis.connect('single node')
    const store = redisNonceStore(client, {
      prefix: freshPrefix('nonce-oom'),
      timeoutMs: functionalTimeoutMs,
    })
    await client.config('SET', 'maxmemory', '1')
    try {
      const error = await store.record('full', minute).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(RedisStoreError)
      expect(error).toMatchObject({
        code: 'SEC_REDIS_REPLY',
        message: expect.stringMatching(/^Redis answered with an error: OOM /),
      })
      expect((error as RedisStoreError).cause).toBeInstanceOf(Error)
    } finally {
      await client.config('SET', 'maxmemory', '0')
    }
    expect(await store.record('full', minute)).toBe(true)
  })

  it('rejects with a RedisStoreError when Redis cannot be reached, at once while reconnecting', async () => {
    const client = await unreachableClient()
    try {
      const store = redisNonceStore(client, { timeoutMs: 200 })
      const error = await store.record('nonce-0001', minute).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(RedisStoreError)
      expect(['SEC_REDIS_UNAVAILABLE', 'SEC_REDIS_TIMEOUT']).toContain((error as RedisStoreError).code)
      while (client.status !== 'reconnecting') await sleep(5)
      const started = performance.now()
      await expect(store.record('nonce-0001', minute)).rejects.toMatchObject({
        code: 'SEC_REDIS_UNAVAILABLE',
        message: 'Redis is not connected (client status: reconnecting).',
      })
      expect(performance.now() - started).toBeLessThan(100)
    } finally {
      client.disconnect()
    }
  })
})

describe('redisNonceStore options and arguments', () => {
  let client: Redis
  beforeAll(async () => {
    client = await unreachableClient()
  })
  afterAll(() => {
    client.disconnect()
  })

  it('accepts every option and none', () => {
    expect(typeof redisNonceStore(client).record).toBe('function')
    expect(typeof redisNonceStore(client, undefined).record).toBe('function')
    expect(typeof redisNonceStore(client, {}).record).toBe('function')
    expect(typeof redisNonceStore(client, { prefix: '', timeoutMs: 60_000 }).record).toBe('function')
    expect(typeof redisNonceStore(client, { prefix: 'app:nonce:', timeoutMs: 0.5 }).record).toBe('function')
  })

  it.each([
    [{ prefx: 'x' }, 'redisNonceStore.prefx', 'is not a known option'],
    [{ clock: { now: Date.now } }, 'redisNonceStore.clock', 'is not a known option'],
    [{ prefix: 1 }, 'redisNonceStore.prefix', "must be a string such as 'sec:nonce:'; got number"],
    [{ prefix: 'a{b}' }, 'redisNonceStore.prefix', 'must not contain `{` or `}`'],
    [{ timeoutMs: 0 }, 'redisNonceStore.timeoutMs', 'above 0 and at most 60000, such as 100; got 0'],
    [{ timeoutMs: 60_001 }, 'redisNonceStore.timeoutMs', 'got 60001'],
    [{ timeoutMs: Number.NaN }, 'redisNonceStore.timeoutMs', 'got NaN'],
    [{ timeoutMs: '100' }, 'redisNonceStore.timeoutMs', 'got 100'],
    ['sec:', 'redisNonceStore.options', 'must be an object such as `{ prefix, timeoutMs }`'],
    [[], 'redisNonceStore.options', 'must be an object'],
  ])('refuses %j at %s', (options, path, message) => {
    let error: unknown
    try {
      redisNonceStore(client, options as never)
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(SecConfigError)
    expect(error).toMatchObject({ path, message: expect.stringContaining(`${path}: `) })
    expect((error as SecConfigError).message).toContain(message)
  })

  it.each([
    ['nothing', undefined],
    ['a URL', 'redis://localhost:6379'],
    ['a plain object', {}],
    ['a node-redis client', { connect() {}, sendCommand() {}, isOpen: false, del() {} }],
  ])('refuses %s as the client', (_, value) => {
    expect(() => redisNonceStore(value as never)).toThrow('redisNonceStore.client: must be an ioredis client')
  })

  it.each([
    ['an empty nonce', '', 'the nonce is empty.'],
    [
      'a nonce over 1024 code units',
      'x'.repeat(maxNonceLength + 1),
      'the nonce is 1025 UTF-16 code units long; the most is 1024.',
    ],
    [
      'a lone high surrogate',
      'nonce-\ud800',
      'the nonce holds a lone surrogate (it is not well-formed Unicode).',
    ],
    [
      'a lone low surrogate',
      '\udc00-nonce',
      'the nonce holds a lone surrogate (it is not well-formed Unicode).',
    ],
    ['a number', 12345678, 'the nonce must be a string; got number.'],
    ['null', null, 'the nonce must be a string; got null.'],
  ])('refuses %s without calling Redis', async (_, nonce, message) => {
    const store = redisNonceStore(client)
    const error = await store.record(nonce as never, minute).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(SecError)
    expect(error).not.toBeInstanceOf(RedisStoreError)
    expect(error).toMatchObject({ code: 'SEC_REDIS_ARGUMENT', message: `redisNonceStore: ${message}` })
    expect(client.status).toBe('wait')
  })

  it.each([Number.POSITIVE_INFINITY, 2e15])('refuses the TTL %d without calling Redis', async (ttl) => {
    await expect(redisNonceStore(client).record('nonce-0001', ttl)).rejects.toMatchObject({
      code: 'SEC_REDIS_ARGUMENT',
      message: `redisNonceStore: ttlMs must be at most 1000000000000000 ms; got ${ttl}.`,
    })
    expect(client.status).toBe('wait')
  })
})
