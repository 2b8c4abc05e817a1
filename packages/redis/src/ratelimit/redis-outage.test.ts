import type { LimitPolicy } from '@sec/core'
import { describeWithRedis, freePort, type RedisTestServer, startRedisServer } from '@sec/testkit'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { RedisStoreError } from '../errors/redis-store-error.js'
import { type RedisStore, redisStore } from './redis-store.js'

const timeoutMs = 150
/** Allowance for timers firing late on a busy machine; a hang would be seconds, not this. */
const margin = 250
const policy: LimitPolicy = { algorithm: 'token-bucket', limit: 1_000_000, period: 60_000 }

interface Settled {
  readonly ms: number
  readonly error: unknown
}

/** Runs one decision and records how long it took to settle and how it failed, if it did. */
async function timed(store: RedisStore, key: string): Promise<Settled> {
  const started = performance.now()
  try {
    await store.decide(policy, key, 1)
    return { ms: performance.now() - started, error: undefined }
  } catch (error) {
    return { ms: performance.now() - started, error }
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** Decides until one succeeds, for at most `withinMs`; returns how many attempts failed first. */
async function untilDecided(store: RedisStore, withinMs: number): Promise<number> {
  const deadline = performance.now() + withinMs
  for (let failures = 0; ; failures++) {
    const { error } = await timed(store, 'outage:recovery')
    if (error === undefined) return failures
    if (performance.now() > deadline) throw error
    await sleep(25)
  }
}

function expectTyped(results: readonly Settled[], codes: readonly string[]): void {
  for (const { error } of results) {
    if (error === undefined) continue
    expect(error).toBeInstanceOf(RedisStoreError)
    expect(codes).toContain((error as RedisStoreError).code)
  }
}

describeWithRedis('redisStore when Redis fails', () => {
  let server: RedisTestServer
  let client: Redis
  let store: RedisStore
  beforeAll(async () => {
    server = await startRedisServer()
    client = new Redis(server.port, '127.0.0.1')
    // The outages below are on purpose: keep ioredis from logging each reconnection error.
    client.on('error', () => {})
    await client.ping()
    store = redisStore(client, { timeoutMs })
  })
  afterAll(async () => {
    client?.disconnect()
    await server?.stop()
  })

  it('settles every call within the timeout when Redis is killed mid-load, then recovers on restart', async () => {
    const calls: Promise<Settled>[] = []
    const load = setInterval(() => {
      for (let i = 0; i < 20; i++) calls.push(timed(store, `outage:${i}`))
    }, 5)
    await sleep(150)
    const beforeKill = calls.length
    await server.kill('SIGKILL')
    await sleep(400)
    clearInterval(load)
    const results = await Promise.all(calls)

    expect(beforeKill).toBeGreaterThan(0)
    expect(results.length).toBeGreaterThan(beforeKill)
    expect(results.filter((result) => result.error === undefined).length).toBeGreaterThan(0)
    const failures = results.filter((result) => result.error !== undefined)
    expect(failures.length).toBeGreaterThan(0)
    expectTyped(results, ['SEC_REDIS_TIMEOUT', 'SEC_REDIS_UNAVAILABLE'])
    expect(Math.max(...results.map((result) => result.ms))).toBeLessThan(timeoutMs + margin)

    await server.restart()
    await untilDecided(store, 10_000)
    const after = await Promise.all(Array.from({ length: 50 }, (_, i) => timed(store, `outage:after:${i}`)))
    expect(after.map((result) => result.error)).toEqual(after.map(() => undefined))
  })

  it('times out with SEC_REDIS_TIMEOUT when Redis stops answering, and recovers when it resumes', async () => {
    const pid = server.pid ?? 0
    process.kill(pid, 'SIGSTOP')
    let results: Settled[]
    try {
      results = await Promise.all(Array.from({ length: 30 }, (_, i) => timed(store, `frozen:${i}`)))
    } finally {
      process.kill(pid, 'SIGCONT')
    }
    for (const { ms, error } of results) {
      expect(error).toBeInstanceOf(RedisStoreError)
      expect((error as RedisStoreError).code).toBe('SEC_REDIS_TIMEOUT')
      expect(ms).toBeGreaterThanOrEqual(timeoutMs - 1)
      expect(ms).toBeLessThan(timeoutMs + margin)
    }
    expect(await untilDecided(store, 10_000)).toBe(0)
  })

  it('fails at once while reconnecting, and within the timeout when Redis was never there', async () => {
    const client = new Redis({ port: await freePort(), host: '127.0.0.1', lazyConnect: true })
    client.on('error', () => {})
    try {
      const nowhere = redisStore(client, { timeoutMs })
      const first = await timed(nowhere, 'nowhere')
      expectTyped([first], ['SEC_REDIS_TIMEOUT', 'SEC_REDIS_UNAVAILABLE'])
      expect(first.error).toBeDefined()
      expect(first.ms).toBeLessThan(timeoutMs + margin)
      while (client.status !== 'reconnecting') await sleep(1)
      const later = await timed(nowhere, 'nowhere')
      expect((later.error as RedisStoreError).code).toBe('SEC_REDIS_UNAVAILABLE')
      expect((later.error as RedisStoreError).message).toBe(
        'Redis is not connected (client status: reconnecting).',
      )
      expect(later.ms).toBeLessThan(margin)
      await expect(nowhere.reset(policy, 'nowhere')).rejects.toMatchObject({ code: 'SEC_REDIS_UNAVAILABLE' })
    } finally {
      client.disconnect()
    }
  })

  it('rejects with SEC_REDIS_UNAVAILABLE once the client has quit', async () => {
    const ended = new Redis(server.port, '127.0.0.1')
    await ended.ping()
    const end = new Promise((resolve) => ended.once('end', resolve))
    await ended.quit()
    await end
    const store = redisStore(ended)
    await expect(store.decide(policy, 'ended', 1)).rejects.toMatchObject({
      code: 'SEC_REDIS_UNAVAILABLE',
      message: 'Redis is not connected (client status: end).',
    })
  })

  it('rejects with SEC_REDIS_REPLY when Redis answers with an error, keeping the cause', async () => {
    await client.config('SET', 'maxmemory', '1')
    try {
      const error = await store.decide(policy, 'full', 1).catch((error: unknown) => error)
      expect(error).toBeInstanceOf(RedisStoreError)
      expect((error as RedisStoreError).code).toBe('SEC_REDIS_REPLY')
      expect((error as RedisStoreError).message).toMatch(/^Redis answered with an error: OOM /)
      expect((error as RedisStoreError).cause).toBeInstanceOf(Error)
    } finally {
      await client.config('SET', 'maxmemory', '0')
    }
  })
})
