import { memoryApiKeyStore, SecConfigError } from '@sec/core'
import { describeWithRedis } from '@sec/testkit'
import { Cluster, type Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RedisStoreError } from '../errors/redis-store-error.js'
import { apiKeyRecord, apiKeyStoreContract } from '../testing/api-key-store-contract.js'
import { fakeClockStart } from '../testing/fake-clock.js'
import {
  freshPrefix,
  topologies,
  unreachableClient,
  useRedisTopologies,
} from '../testing/redis-topologies.js'
import { functionalTimeoutMs } from '../testing/test-settings.js'
import { redisApiKeyStore } from './redis-api-key-store.js'

const t0 = fakeClockStart
const day = 86_400_000
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

describe('memoryApiKeyStore (the contract the Redis store must match)', () => {
  apiKeyStoreContract(() => memoryApiKeyStore())
})

describeWithRedis('redisApiKeyStore', () => {
  const redis = useRedisTopologies()

  describe.each(topologies)('on a %s', (topology) => {
    let client: Redis | Cluster
    beforeAll(async () => {
      client = await redis.connect(topology)
    })
    const newStore = (prefix = freshPrefix('apikey')) =>
      redisApiKeyStore(client, { prefix, timeoutMs: functionalTimeoutMs })

    describe('the API key store contract', () => {
      apiKeyStoreContract(() => newStore())
    })

    it('keeps the owner of each id, one hash per record and a sorted index per owner, in the slot of the owner', async () => {
      const prefix = freshPrefix('apikey-layout')
      const store = newStore(prefix)
      const owner = 'acct_{7}%'
      const record = apiKeyRecord('layout', { owner, name: 'ci', expiresAt: t0 + day })
      await store.create(record)
      await store.rotate(record.id, apiKeyRecord('layout2', { owner, createdAt: t0 + 5 }), t0 + 1000)

      const tag = '{acct_%7B7%7D%25}'
      expect(await client.get(`${prefix}id:${record.id}`)).toBe(owner)
      expect(await client.hgetall(`${prefix}${tag}:key:${record.id}`)).toEqual({
        id: record.id,
        owner,
        kind: 'secret',
        environment: 'live',
        scopes: '["notes:read"]',
        createdAt: String(t0),
        hash: record.hash,
        name: 'ci',
        expiresAt: String(t0 + 1000),
        replacedBy: 'layout2ZZZZZ',
      })
      expect(await client.zrange(`${prefix}${tag}:keys`, '0', '-1', 'WITHSCORES')).toEqual([
        record.id,
        String(t0),
        'layout2ZZZZZ',
        String(t0 + 5),
      ])
      for (const key of [`${prefix}id:${record.id}`, `${prefix}${tag}:keys`])
        expect(await client.pttl(key)).toBe(-1)
      if (client instanceof Cluster) {
        const node = client.nodes('master')[0] as Redis
        const slots = await Promise.all(
          [
            `${prefix}${tag}:key:${record.id}`,
            `${prefix}${tag}:key:layout2ZZZZZ`,
            `${prefix}${tag}:keys`,
          ].map((key) => node.cluster('KEYSLOT', key)),
        )
        expect(new Set(slots).size).toBe(1)
      }
    })

    it('rejects with SEC_REDIS_REPLY, naming the field but never its value, for a record it did not write', async () => {
      const prefix = freshPrefix('apikey-bad')
      const store = newStore(prefix)
      const record = apiKeyRecord('bad')
      await store.create(record)
      const key = `${prefix}{acct_1}:key:${record.id}`
      const corruptions: [string, string][] = [
        ['createdAt', 'yesterday'],
        ['scopes', 'notes:read'],
        ['scopes', '[1]'],
        ['kind', 'master'],
        ['expiresAt', ''],
        ['id', 'other'],
      ]
      for (const [field, value] of corruptions) {
        await client.hset(key, field, value)
        const error = await store.findById(record.id).catch((e: unknown) => e)
        expect(error).toBeInstanceOf(RedisStoreError)
        expect(error).toMatchObject({
          code: 'SEC_REDIS_REPLY',
          message: `The API key record at ${key} in Redis is malformed: ${field}.`,
        })
        await expect(store.listByOwner('acct_1')).rejects.toMatchObject({ code: 'SEC_REDIS_REPLY' })
        await client.hset(key, 'id', record.id, 'createdAt', String(t0), 'scopes', '[]', 'kind', 'secret')
        await client.hdel(key, 'expiresAt')
      }
      await client.hdel(key, 'hash')
      const missing = await store.findById(record.id).catch((e: unknown) => e)
      expect(missing).toMatchObject({
        code: 'SEC_REDIS_REPLY',
        message: expect.stringContaining('malformed: hash.'),
      })
      expect((missing as Error).message).not.toContain(record.hash)

      await client.set(key, 'not a hash')
      await expect(store.findById(record.id)).rejects.toMatchObject({
        code: 'SEC_REDIS_REPLY',
        message: expect.stringContaining('WRONGTYPE'),
      })
      await expect(store.revoke(record.id, t0)).rejects.toMatchObject({ code: 'SEC_REDIS_REPLY' })
    })

    it('answers undefined for an id whose record is missing, and refuses a replacement of another owner', async () => {
      const prefix = freshPrefix('apikey-dangling')
      await client.set(`${prefix}id:danglingZZZZ`, 'acct_1')
      const store = newStore(prefix)
      expect(await store.findById('danglingZZZZ')).toBeUndefined()
      expect(await store.revoke('danglingZZZZ', t0)).toBeUndefined()
      await store.touch('danglingZZZZ', t0)
      expect(await client.exists(`${prefix}{acct_1}:key:danglingZZZZ`)).toBe(0)

      await store.create(apiKeyRecord('a'))
      await expect(
        store.rotate(apiKeyRecord('a').id, apiKeyRecord('b', { owner: 'acct_2' }), t0),
      ).rejects.toMatchObject({
        code: 'SEC_REDIS_ARGUMENT',
        message: 'redisApiKeyStore: the replacement must belong to the owner of the key it replaces.',
      })
      expect(await store.findById(apiKeyRecord('b').id)).toBeUndefined()
    })

    it('releases the id of a refused replacement', async () => {
      const prefix = freshPrefix('apikey-release')
      const store = newStore(prefix)
      await store.create(apiKeyRecord('a', { revokedAt: t0 }))
      expect(await store.rotate(apiKeyRecord('a').id, apiKeyRecord('b'), t0 + day)).toBeUndefined()
      expect(await client.exists(`${prefix}id:${apiKeyRecord('b').id}`)).toBe(0)
      await store.create(apiKeyRecord('b'))
      expect(await store.findById(apiKeyRecord('b').id)).toEqual(apiKeyRecord('b'))
    })
  })

  it('rejects with a RedisStoreError when Redis cannot be reached', async () => {
    const client = await unreachableClient()
    try {
      const store = redisApiKeyStore(client, { timeoutMs: 200 })
      const record = apiKeyRecord('a')
      const calls = [
        () => store.create(record),
        () => store.findById(record.id),
        () => store.listByOwner('acct_1'),
        () => store.revoke(record.id, t0),
        () => store.rotate(record.id, apiKeyRecord('b'), t0),
        () => store.touch(record.id, t0),
      ]
      for (const call of calls) {
        const error = await call().catch((e: unknown) => e)
        expect(error).toBeInstanceOf(RedisStoreError)
        expect(['SEC_REDIS_UNAVAILABLE', 'SEC_REDIS_TIMEOUT']).toContain((error as RedisStoreError).code)
      }
      while (client.status !== 'reconnecting') await sleep(5)
      await expect(store.findById(record.id)).rejects.toMatchObject({ code: 'SEC_REDIS_UNAVAILABLE' })
    } finally {
      client.disconnect()
    }
  })
})

describe('redisApiKeyStore options and arguments', () => {
  let client: Redis
  beforeAll(async () => {
    client = await unreachableClient()
  })
  afterAll(() => {
    client.disconnect()
  })

  it('accepts every option and none', () => {
    expect(typeof redisApiKeyStore(client).findById).toBe('function')
    expect(typeof redisApiKeyStore(client, { prefix: 'app:keys:', timeoutMs: 1 }).findById).toBe('function')
  })

  it.each([
    [{ clock: { now: Date.now } }, 'redisApiKeyStore.clock', 'is not a known option'],
    [{ prefix: ['x'] }, 'redisApiKeyStore.prefix', "must be a string such as 'sec:apikey:'"],
    [{ prefix: '{app}:' }, 'redisApiKeyStore.prefix', 'must not contain `{` or `}`'],
    [{ timeoutMs: 60_001 }, 'redisApiKeyStore.timeoutMs', 'such as 200; got 60001'],
    [[], 'redisApiKeyStore.options', 'must be an object such as `{ prefix, timeoutMs }`'],
  ])('refuses %j at %s', (options, path, message) => {
    let error: unknown
    try {
      redisApiKeyStore(client, options as never)
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(SecConfigError)
    expect(error).toMatchObject({ path, message: expect.stringContaining(message) })
  })

  it('refuses a client that is not ioredis', () => {
    expect(() => redisApiKeyStore('redis://localhost' as never)).toThrow(
      'redisApiKeyStore.client: must be an ioredis client',
    )
  })

  it.each([
    [
      'an empty id',
      () => redisApiKeyStore(client).create(apiKeyRecord('a', { id: '' })),
      'record.id must be a non-empty string.',
    ],
    [
      'an empty owner',
      () => redisApiKeyStore(client).create(apiKeyRecord('a', { owner: '' })),
      'record.owner must be a non-empty string.',
    ],
    [
      'a creation time that is not one',
      () => redisApiKeyStore(client).create(apiKeyRecord('a', { createdAt: Number.NaN })),
      'record.createdAt must be a time in ms since the epoch; got NaN.',
    ],
    [
      'a grace end that is not a time',
      () => redisApiKeyStore(client).rotate('a', apiKeyRecord('b'), Number.POSITIVE_INFINITY),
      'graceEndsAt must be a time in ms since the epoch; got Infinity.',
    ],
    [
      'a touch time that is not one',
      () => redisApiKeyStore(client).touch('a', Number.NaN),
      'at must be a time in ms since the epoch; got NaN.',
    ],
  ])('refuses %s without calling Redis', async (_, call, message) => {
    await expect(call()).rejects.toMatchObject({
      code: 'SEC_REDIS_ARGUMENT',
      message: `redisApiKeyStore: ${message}`,
    })
    expect(client.status).toBe('wait')
  })

  it('answers no records for an empty owner without calling Redis', async () => {
    expect(await redisApiKeyStore(client).listByOwner('')).toEqual([])
    expect(client.status).toBe('wait')
  })
})
