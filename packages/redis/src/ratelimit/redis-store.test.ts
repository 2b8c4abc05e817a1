import type { LimitAlgorithm, LimitDecision, LimitPolicy } from '@sec/core'
import {
  describeWithRedis,
  type RedisTestCluster,
  type RedisTestServer,
  startRedisCluster,
  startRedisServer,
} from '@sec/testkit'
import { Cluster, Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { coreKey } from '../testing/core-key.js'
import { algorithms, functionalTimeoutMs } from '../testing/test-settings.js'
import { type RedisStore, redisStore } from './redis-store.js'

/** Ten years: within one test, time does not visibly move and no window ends. */
const P = 315_360_000_000
const fractional: readonly LimitAlgorithm[] = ['token-bucket', 'fixed-window', 'sliding-window']

type Topology = 'single node' | '3-master cluster'

async function redisNow(client: Redis | Cluster): Promise<number> {
  const [seconds, micros] = await client.time()
  return Number(seconds) * 1000 + Number(micros) / 1000
}

/**
 * The Redis key holding `key`'s state under the default prefix: a fixed window's counter of the
 * current window (`period` long) carries the window's number after the limiter's key.
 */
async function stateKey(
  client: Redis | Cluster,
  algorithm: LimitAlgorithm,
  key: string,
  period: number,
): Promise<string> {
  const name = `sec:rl:{${key}}`
  return algorithm === 'fixed-window' ? `${name}:${Math.floor((await redisNow(client)) / period)}` : name
}

/** The key's type and content, to prove a decision wrote nothing. */
async function snapshot(client: Redis | Cluster, key: string): Promise<unknown> {
  const type = await client.type(key)
  if (type === 'string') return [type, await client.get(key)]
  if (type === 'hash') return [type, await client.hgetall(key)]
  if (type === 'list') return [type, await client.lrange(key, 0, -1)]
  return [type]
}

/**
 * What a limit of 5 answers for five admissions and one denial if no time passed after `t`, as the
 * memory store's algorithm computes it: the `reset` of each decision and the denial's `retryAfter`.
 * Real answers differ by the time that passed.
 */
function standingStill(algorithm: LimitAlgorithm, t: number): { resets: number[]; retryAfter: number } {
  const policy: LimitPolicy = { algorithm, limit: 5, period: P }
  const key = coreKey(algorithm)
  const decisions = Array.from({ length: 6 }, () => key.decide(t, policy, 1))
  return { resets: decisions.map((d) => d.reset), retryAfter: decisions[5]?.retryAfter ?? Number.NaN }
}

/** The longest TTL a key of `algorithm` may get under a period of `period`. */
function maxTtl(algorithm: LimitAlgorithm, period: number): number {
  return algorithm === 'sliding-window' ? 2 * period : period
}

describeWithRedis('redisStore', () => {
  let server: RedisTestServer
  let cluster: RedisTestCluster
  beforeAll(async () => {
    ;[server, cluster] = await Promise.all([startRedisServer(), startRedisCluster()])
  })
  afterAll(async () => {
    await Promise.all([server?.stop(), cluster?.stop()])
  })

  describe.each<Topology>(['single node', '3-master cluster'])('on a %s', (topology) => {
    let client: Redis | Cluster
    let store: RedisStore
    const masters = (): Redis[] => (client instanceof Cluster ? client.nodes('master') : [client])
    beforeAll(async () => {
      client =
        topology === 'single node'
          ? new Redis(server.port, '127.0.0.1')
          : new Cluster([...cluster.startupNodes])
      await client.ping()
      store = redisStore(client, { timeoutMs: functionalTimeoutMs })
    })
    afterAll(() => {
      client?.disconnect()
    })

    it.each(algorithms)('%s admits exactly the limit, then denies with its retry time', async (algorithm) => {
      const policy: LimitPolicy = { algorithm, limit: 5, period: P }
      const key = `api:exact:${algorithm}`
      const before = await redisNow(client)
      const decisions: LimitDecision[] = []
      for (let i = 0; i < 6; i++) decisions.push(await store.decide(policy, key, 1))
      const elapsed = Math.ceil((await redisNow(client)) - before)

      expect(decisions.map((d) => [d.allowed, d.remaining])).toEqual([
        [true, 4],
        [true, 3],
        [true, 2],
        [true, 1],
        [true, 0],
        [false, 0],
      ])
      expect(decisions.map((d) => d.retryAfter).slice(0, 5)).toEqual([0, 0, 0, 0, 0])
      const expected = standingStill(algorithm, before)
      decisions.forEach((decision, index) => {
        expect(Math.abs(decision.reset - (expected.resets[index] ?? Number.NaN))).toBeLessThanOrEqual(
          elapsed + 1,
        )
      })
      expect(Math.abs((decisions[5]?.retryAfter ?? 0) - expected.retryAfter)).toBeLessThanOrEqual(elapsed + 1)
      expect(decisions[5]?.retryAfter).toBeGreaterThan(0)

      const ttl = await client.pttl(await stateKey(client, algorithm, key, P))
      expect(ttl).toBeGreaterThan(0)
      expect(ttl).toBeLessThanOrEqual(maxTtl(algorithm, P))
    })

    it.each([
      [60, 1000],
      [7, 1000],
    ] as const)(
      'token-bucket admits exactly the capacity in a full burst of %s per %s ms',
      async (limit, period) => {
        // Rates whose per-unit time (16.67 ms, 142.86 ms) rounds when added to an epoch-sized clock.
        const policy: LimitPolicy = { algorithm: 'token-bucket', limit, period }
        const key = `api:burst:${limit}`
        const before = await redisNow(client)
        const decisions = await Promise.all(
          Array.from({ length: limit + 10 }, () => store.decide(policy, key, 1)),
        )
        const elapsed = (await redisNow(client)) - before
        // Sent in order on one connection: the first `limit` find units left, whatever the time.
        expect(
          decisions
            .slice(0, limit)
            .map((d, index) => [d.allowed, d.remaining >= limit - index - 1, d.retryAfter]),
        ).toEqual(Array.from({ length: limit }, () => [true, true, 0]))
        // Beyond the capacity only what refilled during the burst: nothing when it took under one
        // unit's time, as it does unless the machine stalls.
        const admitted = decisions.filter((d) => d.allowed).length
        expect(admitted).toBeLessThanOrEqual(limit + Math.floor(elapsed / (period / limit)))
        if (elapsed < period / limit) expect(admitted).toBe(limit)
      },
    )

    it.each(algorithms)('%s gives the key a TTL on every write, at most its horizon', async (algorithm) => {
      const period = 60_000
      const policy: LimitPolicy = { algorithm, limit: 3, period }
      const key = `api:ttl:${algorithm}`
      for (let i = 0; i < 4; i++) {
        await store.decide(policy, key, 1)
        const ttl = await client.pttl(await stateKey(client, algorithm, key, period))
        expect(ttl).toBeGreaterThan(0)
        expect(ttl).toBeLessThanOrEqual(maxTtl(algorithm, period))
      }
    })

    it.each(fractional)('%s admits fractional costs up to the exact limit', async (algorithm) => {
      const policy: LimitPolicy = { algorithm, limit: 3, period: P }
      const key = `api:fraction:${algorithm}`
      const decisions: LimitDecision[] = []
      for (let i = 0; i < 31; i++) decisions.push(await store.decide(policy, key, 0.1))
      expect(decisions.filter((d) => d.allowed)).toHaveLength(30)
      expect(decisions[30]?.allowed).toBe(false)
      expect(decisions.map((d) => d.remaining).filter((_, index) => index % 10 === 9)).toEqual([2, 1, 0])
      expect(decisions[30]?.remaining).toBe(0)
      const quarter = await store.decide({ algorithm, limit: 2, period: P }, `${key}:quarter`, 0.25)
      expect([quarter.allowed, quarter.remaining]).toEqual([true, 1])
    })

    it('fixed-window counts whole and fractional costs in one counter', async () => {
      const policy: LimitPolicy = { algorithm: 'fixed-window', limit: 3, period: P }
      const key = 'api:mixed'
      const remaining: number[] = []
      for (const cost of [1, 0.5, 1, 0.25, 0.25]) {
        const decision = await store.decide(policy, key, cost)
        expect(decision.allowed).toBe(true)
        remaining.push(decision.remaining)
      }
      expect(remaining).toEqual([2, 1, 0, 0, 0])
      expect(await client.get(await stateKey(client, 'fixed-window', key, P))).toBe('3')
      expect((await store.decide(policy, key, 1)).allowed).toBe(false)
      expect((await store.decide(policy, key, 0.25)).allowed).toBe(false)
      expect(await client.get(await stateKey(client, 'fixed-window', key, P))).toBe('3')
    })

    it('refuses fractional costs for the sliding log, before calling Redis', async () => {
      const policy: LimitPolicy = { algorithm: 'sliding-log', limit: 3, period: P }
      await expect(store.decide(policy, 'api:log-fraction', 0.5)).rejects.toMatchObject({
        code: 'SEC_REDIS_ARGUMENT',
      })
      expect(await client.exists('sec:rl:{api:log-fraction}')).toBe(0)
    })

    it.each(algorithms)('%s answers a peek without recording anything', async (algorithm) => {
      const policy: LimitPolicy = { algorithm, limit: 5, period: P }
      const key = `api:peek:${algorithm}`
      const stored = await stateKey(client, algorithm, key, P)
      expect(await store.decide(policy, key, 0)).toEqual({
        allowed: true,
        remaining: 5,
        reset: 0,
        retryAfter: 0,
      })
      expect(await client.exists(stored)).toBe(0)
      await store.decide(policy, key, 5)
      const state = await snapshot(client, stored)
      expect(state).not.toEqual(['none'])
      const peek = await store.decide(policy, key, 0)
      expect([peek.allowed, peek.remaining]).toEqual([false, 0])
      expect(peek.retryAfter).toBeGreaterThan(0)
      expect(await snapshot(client, stored)).toEqual(state)
    })

    it.each(algorithms)('%s starts full again after reset', async (algorithm) => {
      const policy: LimitPolicy = { algorithm, limit: 2, period: P }
      const key = `api:reset:${algorithm}`
      await store.decide(policy, key, 2)
      expect((await store.decide(policy, key, 1)).allowed).toBe(false)
      const stored = await stateKey(client, algorithm, key, P)
      expect(await client.exists(stored)).toBe(1)
      await store.reset(policy, key)
      expect(await client.exists(stored)).toBe(0)
      expect(await store.decide(policy, key, 1)).toMatchObject({ allowed: true, remaining: 1, retryAfter: 0 })
    })

    it.each(algorithms)(
      '%s never drives state negative: bad costs are refused, denials write nothing',
      async (algorithm) => {
        const policy: LimitPolicy = { algorithm, limit: 4, period: P }
        const key = `api:negative:${algorithm}`
        for (const cost of [-1, -0.5, Number.NaN, Number.POSITIVE_INFINITY, 4.5, 1e300]) {
          await expect(store.decide(policy, key, cost)).rejects.toMatchObject({ code: 'SEC_REDIS_ARGUMENT' })
        }
        const stored = await stateKey(client, algorithm, key, P)
        expect(await client.exists(stored)).toBe(0)
        expect(await store.decide(policy, key, 4)).toMatchObject({ allowed: true, remaining: 0 })
        const state = await snapshot(client, stored)
        expect(state).not.toEqual(['none'])
        for (const cost of [4, 1]) {
          const denied = await store.decide(policy, key, cost)
          expect([denied.allowed, denied.remaining]).toEqual([false, 0])
          expect(denied.retryAfter).toBeGreaterThan(0)
        }
        expect(await snapshot(client, stored)).toEqual(state)
      },
    )

    it.each(algorithms)('%s replaces state of another type rather than failing', async (algorithm) => {
      const policy: LimitPolicy = { algorithm, limit: 3, period: 60_000 }
      const key = `api:foreign:${algorithm}`
      const full = await stateKey(client, algorithm, key, policy.period)
      if (algorithm === 'sliding-log') await client.hset(full, 'x', '1')
      else await client.rpush(full, 'x')
      expect(await client.pttl(full)).toBe(-1)
      expect(await store.decide(policy, key, 1)).toMatchObject({ allowed: true, remaining: 2 })
      expect(await client.pttl(full)).toBeGreaterThan(0)
    })

    it.each([
      ['entries that are not numbers', ['x', 'y', 'z', 'w']],
      ['an odd number of entries', ['1', '1', '1']],
    ])('sliding-log discards a list of %s', async (_, entries) => {
      const policy: LimitPolicy = { algorithm: 'sliding-log', limit: 3, period: 60_000 }
      const key = `api:garbage:${entries.length}`
      await client.rpush(`sec:rl:{${key}}`, ...entries)
      for (const remaining of [2, 1, 0]) {
        expect(await store.decide(policy, key, 1)).toMatchObject({ allowed: true, remaining })
      }
      expect((await store.decide(policy, key, 1)).allowed).toBe(false)
      expect(await client.llen(`sec:rl:{${key}}`)).toBe(6)
      expect(await client.pttl(`sec:rl:{${key}}`)).toBeGreaterThan(0)
    })

    it('keeps each key under prefix{key}, with the default or a chosen prefix', async () => {
      const policy: LimitPolicy = { algorithm: 'fixed-window', limit: 1, period: P }
      const window = Math.floor((await redisNow(client)) / P)
      await store.decide(policy, 'api:named', 1)
      expect(await client.exists(`sec:rl:{api:named}:${window}`)).toBe(1)
      const other = redisStore(client, { prefix: 'app1:', timeoutMs: functionalTimeoutMs })
      expect(await other.decide(policy, 'api:named', 1)).toMatchObject({ allowed: true })
      expect(await client.exists(`app1:{api:named}:${window}`)).toBe(1)
      expect((await store.decide(policy, 'api:named', 1)).allowed).toBe(false)
    })

    it("keeps working under the client's own keyPrefix", async () => {
      const prefixed =
        topology === 'single node'
          ? new Redis({ port: server.port, host: '127.0.0.1', keyPrefix: 'tenant:' })
          : new Cluster([...cluster.startupNodes], { keyPrefix: 'tenant:' })
      try {
        // Connected (and, on a cluster, the slots known) before the store's 100 ms budget starts.
        await prefixed.ping()
        const policy: LimitPolicy = { algorithm: 'fixed-window', limit: 1, period: P }
        const tenant = redisStore(prefixed, { timeoutMs: functionalTimeoutMs })
        const counter = `tenant:sec:rl:{api:prefixed}:${Math.floor((await redisNow(client)) / P)}`
        expect(await tenant.decide(policy, 'api:prefixed', 1)).toMatchObject({ allowed: true })
        expect(await client.exists(counter)).toBe(1)
        expect((await tenant.decide(policy, 'api:prefixed', 1)).allowed).toBe(false)
        await tenant.reset(policy, 'api:prefixed')
        expect(await client.exists(counter)).toBe(0)
        expect(await tenant.decide(policy, 'api:prefixed', 1)).toMatchObject({ allowed: true })
      } finally {
        prefixed.disconnect()
      }
    })

    it.each<LimitAlgorithm>(['token-bucket', 'fixed-window'])(
      '%s decides huge, non-ASCII and brace-laden keys, each on its own',
      async (algorithm) => {
        const policy: LimitPolicy = { algorithm, limit: 1, period: P }
        const keys = ['x'.repeat(10_240), 'ключ', '🔑 ключ', 'é', 'e\u0301', 'a}b{c', '{', '}', '{}', ' ']
        for (const key of keys) {
          expect(await store.decide(policy, `api:${key}`, 1)).toMatchObject({ allowed: true, remaining: 0 })
        }
        for (const key of keys) {
          expect((await store.decide(policy, `api:${key}`, 1)).allowed).toBe(false)
          expect(await client.pttl(await stateKey(client, algorithm, `api:${key}`, P))).toBeGreaterThan(0)
        }
      },
    )

    it('falls back to EVAL after SCRIPT FLUSH and keeps the state', async () => {
      const policy: LimitPolicy = { algorithm: 'sliding-window', limit: 3, period: P }
      expect(await store.decide(policy, 'api:noscript', 1)).toMatchObject({ allowed: true, remaining: 2 })
      await Promise.all(masters().map((node) => node.script('FLUSH')))
      const scripts = await Promise.all(masters().map((node) => node.info('memory')))
      expect(scripts.map((info) => /number_of_cached_scripts:(\d+)/.exec(info)?.[1])).toEqual(
        masters().map(() => '0'),
      )
      expect(await store.decide(policy, 'api:noscript', 1)).toMatchObject({ allowed: true, remaining: 1 })
      expect(await store.decide(policy, 'api:noscript', 1)).toMatchObject({ allowed: true, remaining: 0 })
    })

    it.each([
      ['RESP2', { protocol: 2 }],
      ['RESP3 replies', { protocol: 3, replyMapping: 'resp3' }],
      ['string numbers', { stringNumbers: true }],
    ] as const)('decides through a client speaking %s', async (_, options) => {
      const other =
        topology === 'single node'
          ? new Redis({ port: server.port, host: '127.0.0.1', ...options })
          : new Cluster([...cluster.startupNodes], { redisOptions: options })
      try {
        await other.ping()
        const decided = redisStore(other, { timeoutMs: functionalTimeoutMs })
        for (const algorithm of ['token-bucket', 'fixed-window'] as const) {
          // An integer reply for admissions; a text reply for the token bucket's denial.
          const policy: LimitPolicy = {
            algorithm,
            limit: 2,
            period: algorithm === 'fixed-window' ? P : 60_000,
          }
          const key = `api:protocol:${algorithm}:${JSON.stringify(options)}`
          expect(await decided.decide(policy, key, 1)).toMatchObject({
            allowed: true,
            remaining: 1,
            retryAfter: 0,
          })
          expect(await decided.decide(policy, key, 1)).toMatchObject({
            allowed: true,
            remaining: 0,
            retryAfter: 0,
          })
          const denied = await decided.decide(policy, key, 1)
          expect([denied.allowed, denied.remaining, typeof denied.retryAfter]).toEqual([false, 0, 'number'])
          expect(denied.retryAfter).toBeGreaterThan(29_000)
          const fraction = await decided.decide(policy, `${key}:fraction`, 0.5)
          expect([fraction.allowed, fraction.remaining]).toEqual([true, 1])
        }
      } finally {
        other.disconnect()
      }
    })

    it('has left no key without a TTL', async () => {
      const keys = (await Promise.all(masters().map((node) => node.keys('*')))).flat()
      expect(keys.length).toBeGreaterThan(30)
      const ttls = await Promise.all(keys.map((key) => client.pttl(key)))
      // -1 is a key without a TTL; -2 is one that expired between KEYS and PTTL, so it had one.
      expect(keys.filter((_, index) => ttls[index] === -1)).toEqual([])
    })
  })
})
