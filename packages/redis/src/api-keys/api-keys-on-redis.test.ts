import { type ApiKeys, createApiKeys, parseApiKey } from '@sec/core'
import { describeWithRedis, type RedisTestServer, startRedisServer } from '@sec/testkit'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { RedisStoreError } from '../errors/redis-store-error.js'
import { fakeClock } from '../testing/fake-clock.js'
import { freshPrefix } from '../testing/redis-topologies.js'
import { functionalTimeoutMs } from '../testing/test-settings.js'
import { redisApiKeyStore } from './redis-api-key-store.js'

const minute = 60_000
const pepper = 'a pepper of at least thirty-two bytes, for the tests'

describeWithRedis('createApiKeys with redisApiKeyStore, end to end', () => {
  let server: RedisTestServer
  const clients: Redis[] = []
  beforeAll(async () => {
    server = await startRedisServer()
  })
  afterAll(async () => {
    for (const client of clients) client.disconnect()
    await server?.stop()
  })

  /** One app instance: its own client and store, sharing Redis and the clock with the others. */
  function instance(prefix: string, clock = fakeClock()): { keys: ApiKeys; client: Redis } {
    const client = new Redis(server.port, '127.0.0.1')
    clients.push(client)
    const store = redisApiKeyStore(client, { prefix, timeoutMs: functionalTimeoutMs })
    return { keys: createApiKeys({ store, environment: 'live', pepper, clock }), client }
  }

  /** Every key and value the store wrote, as text. */
  async function dump(client: Redis, prefix: string): Promise<string> {
    const out: string[] = []
    for (const key of await client.keys(`${prefix}*`)) {
      const type = await client.type(key)
      const value =
        type === 'hash'
          ? await client.hgetall(key)
          : type === 'zset'
            ? await client.zrange(key, '0', '-1')
            : await client.get(key)
      out.push(key, JSON.stringify(value))
    }
    return out.join('\n')
  }

  it('issues on one instance, verifies on another, rotates with a grace period, and revokes', async () => {
    const prefix = freshPrefix('apikeys-e2e')
    const clock = fakeClock()
    const a = instance(prefix, clock)
    const b = instance(prefix, clock)
    const start = clock.now()

    const issued = await a.keys.issue({
      owner: 'acct_42',
      scopes: ['notes:read'],
      name: 'ci',
      expiresIn: '90d',
    })
    expect(issued.key).toMatch(/^sk_live_/)
    const verified = await b.keys.verify(issued.key)
    expect(verified).toEqual({ valid: true, metadata: issued.metadata })
    expect(await b.keys.verify(`${issued.key.slice(0, -1)}x`)).toEqual({ valid: false, refusal: 'malformed' })

    clock.advance(minute)
    const rotated = await b.keys.rotate(issued.metadata.id, { owner: 'acct_42', gracePeriod: '1h' })
    expect(rotated?.metadata).toMatchObject({ owner: 'acct_42', scopes: ['notes:read'], name: 'ci' })
    const newKey = rotated?.key ?? ''
    expect(await a.keys.rotate(issued.metadata.id)).toBeUndefined()

    clock.advance(60 * minute - 1)
    expect(await a.keys.verify(issued.key)).toMatchObject({ valid: true })
    expect(await a.keys.verify(newKey)).toMatchObject({ valid: true })
    clock.advance(1)
    expect(await a.keys.verify(issued.key)).toEqual({ valid: false, refusal: 'expired' })
    expect(await b.keys.verify(newKey)).toMatchObject({ valid: true })

    const list = await a.keys.list('acct_42')
    expect(list.map((metadata) => metadata.id)).toEqual([issued.metadata.id, rotated?.metadata.id])
    expect(list[0]).toMatchObject({ expiresAt: start + 61 * minute, replacedBy: rotated?.metadata.id })
    expect((await a.keys.list('acct_42', { active: true })).map((metadata) => metadata.id)).toEqual([
      rotated?.metadata.id,
    ])

    expect(await b.keys.revoke(rotated?.metadata.id ?? '', { owner: 'acct_7' })).toBeUndefined()
    expect((await b.keys.revoke(rotated?.metadata.id ?? ''))?.revokedAt).toBe(clock.now())
    expect(await a.keys.verify(newKey)).toEqual({ valid: false, refusal: 'revoked' })
  })

  it('records the last-used time of a verified key, at most once per touch interval', async () => {
    const prefix = freshPrefix('apikeys-touch')
    const clock = fakeClock()
    const { keys } = instance(prefix, clock)
    const { key, metadata } = await keys.issue({ owner: 'acct_1' })
    expect(await keys.verify(key)).toMatchObject({ valid: true })
    const deadline = Date.now() + 10_000
    while ((await keys.get(metadata.id))?.lastUsedAt === undefined && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 10))
    expect((await keys.get(metadata.id))?.lastUsedAt).toBe(clock.now())
  })

  it('stores the digest and metadata only: no key, and no secret part of one, reaches Redis', async () => {
    const prefix = freshPrefix('apikeys-secret')
    const { keys, client } = instance(prefix)
    const issued = [
      await keys.issue({ owner: 'acct_1', scopes: ['notes:read'] }),
      await keys.issue({ owner: 'acct_2', kind: 'publishable' }),
    ]
    const rotated = await keys.rotate(issued[0]?.metadata.id ?? '')
    expect(rotated).toBeDefined()
    const stored = await dump(client, prefix)
    for (const key of [...issued.map((one) => one.key), rotated?.key ?? '']) {
      const parsed = parseApiKey(key)
      expect(parsed).toBeDefined()
      expect(stored).toContain(parsed?.keyId)
      expect(stored).not.toContain(key)
      expect(stored).not.toContain(key.slice(21, 43))
    }
  })

  it('rejects verification with a RedisStoreError, not a crash, when a stored record is malformed', async () => {
    const prefix = freshPrefix('apikeys-bad')
    const { keys, client } = instance(prefix)
    const { key, metadata } = await keys.issue({ owner: 'acct_1' })
    await client.hset(`${prefix}{acct_1}:key:${metadata.id}`, 'scopes', 'all of them')
    const error = await keys.verify(key).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RedisStoreError)
    expect(error).toMatchObject({ code: 'SEC_REDIS_REPLY' })
    expect((error as Error).message).not.toContain(key)
  })
})
