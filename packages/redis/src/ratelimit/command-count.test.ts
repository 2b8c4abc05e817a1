import type { LimitPolicy } from '@sec/core'
import {
  describeWithRedis,
  type RedisTestCluster,
  type RedisTestServer,
  startRedisCluster,
  startRedisServer,
} from '@sec/testkit'
import { Cluster, Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { algorithms, functionalTimeoutMs } from '../testing/test-settings.js'
import { type RedisStore, redisStore } from './redis-store.js'

/** Commands the test itself and the client's housekeeping send, which are not decisions. */
const housekeeping: ReadonlySet<string> = new Set([
  'config|resetstat',
  'info',
  'cluster|slots',
  'cluster|shards',
])

/**
 * Commands the script calls inside Redis. `INFO commandstats` counts them too, but they are not
 * round trips; they are reported apart so the test can tell them from commands the client sent.
 */
const insideScript: ReadonlySet<string> = new Set([
  'time',
  'get',
  'set',
  'incrby',
  'decrby',
  'hmget',
  'hset',
  'pexpire',
  'lrange',
  'ltrim',
  'rpush',
  'del',
])

type Stats = Record<string, { calls: number; failed: number }>

/** `INFO commandstats` of every master, summed: calls and failed calls per command. */
async function commandStats(masters: readonly Redis[]): Promise<{ sent: Stats; script: Stats }> {
  const sent: Stats = {}
  const script: Stats = {}
  for (const info of await Promise.all(masters.map((node) => node.info('commandstats')))) {
    for (const match of info.matchAll(/^cmdstat_([^:]+):calls=(\d+),.*failed_calls=(\d+)/gm)) {
      const [, name = '', calls = '0', failed = '0'] = match
      if (housekeeping.has(name)) continue
      const stats = insideScript.has(name) ? script : sent
      const entry = stats[name] ?? { calls: 0, failed: 0 }
      stats[name] = { calls: entry.calls + Number(calls), failed: entry.failed + Number(failed) }
    }
  }
  return { sent, script }
}

const callsOf = (stats: Stats, name: string): number => stats[name]?.calls ?? 0

describeWithRedis('Redis commands per decision', () => {
  let server: RedisTestServer
  let cluster: RedisTestCluster
  beforeAll(async () => {
    ;[server, cluster] = await Promise.all([startRedisServer(), startRedisCluster()])
  })
  afterAll(async () => {
    await Promise.all([server?.stop(), cluster?.stop()])
  })

  describe.each(['single node', '3-master cluster'])('on a %s', (topology) => {
    let client: Redis | Cluster
    let store: RedisStore
    const masters = (): Redis[] => (client instanceof Cluster ? client.nodes('master') : [client])
    const resetStats = (): Promise<unknown> => Promise.all(masters().map((node) => node.config('RESETSTAT')))
    beforeAll(async () => {
      client =
        topology === 'single node'
          ? new Redis(server.port, '127.0.0.1')
          : new Cluster([...cluster.startupNodes])
      await client.ping()
      store = redisStore(client, { timeoutMs: functionalTimeoutMs })
      // The first decision of each algorithm on each node meets NOSCRIPT and sends EVAL, which
      // loads the script there.
      for (const algorithm of algorithms)
        await Promise.all(
          Array.from({ length: 30 }, (_, index) =>
            store.decide({ algorithm, limit: 1, period: 1000 }, `warm-up:${index}`, 0),
          ),
        )
    })
    afterAll(() => {
      client?.disconnect()
    })

    it('sends exactly one EVALSHA per decision, allowed, denied or peeked', async () => {
      await resetStats()
      const decisions = algorithms.flatMap((algorithm) => {
        const policy: LimitPolicy = { algorithm, limit: 5, period: 60_000 }
        return Array.from({ length: 25 }, (_, index) => ({ policy, key: `count:${algorithm}:${index % 3}` }))
      })
      const sequential = decisions.slice(0, 40)
      for (const { policy, key } of sequential) await store.decide(policy, key, 1)
      const concurrent = await Promise.all(
        decisions
          .slice(40)
          .map(({ policy, key }, index) => store.decide(policy, key, index % 5 === 0 ? 0 : 1)),
      )
      expect(concurrent.some((decision) => !decision.allowed)).toBe(true)
      const { sent, script } = await commandStats(masters())
      expect(sent).toEqual({ evalsha: { calls: decisions.length, failed: 0 } })
      // Inside Redis, each run reads the clock once and the key's state once: one run per decision,
      // so the client sent none of these itself. A fixed window adds its cost with INCRBY, and reads
      // with GET only to peek (2 of its 25 decisions).
      expect(callsOf(script, 'time')).toBe(decisions.length)
      expect([
        callsOf(script, 'get'),
        callsOf(script, 'incrby'),
        callsOf(script, 'hmget'),
        callsOf(script, 'lrange'),
      ]).toEqual([52, 23, 0, 25])
    })

    it('sends one DEL per reset', async () => {
      await resetStats()
      const policy: LimitPolicy = { algorithm: 'token-bucket', limit: 10, period: 60_000 }
      await Promise.all(Array.from({ length: 7 }, (_, index) => store.reset(policy, `count:reset:${index}`)))
      expect(await commandStats(masters())).toEqual({ sent: {}, script: { del: { calls: 7, failed: 0 } } })
    })

    it('sends one EVALSHA per fixed-window reset, which deletes the current counter', async () => {
      const policy: LimitPolicy = { algorithm: 'fixed-window', limit: 10, period: 60_000 }
      // The first reset on each node meets NOSCRIPT and loads the reset script there.
      await Promise.all(Array.from({ length: 30 }, (_, index) => store.reset(policy, `warm-up:${index}`)))
      await Promise.all(Array.from({ length: 7 }, (_, index) => store.decide(policy, `count:fw:${index}`, 1)))
      await resetStats()
      await Promise.all(Array.from({ length: 7 }, (_, index) => store.reset(policy, `count:fw:${index}`)))
      const { sent, script } = await commandStats(masters())
      expect(sent).toEqual({ evalsha: { calls: 7, failed: 0 } })
      expect([callsOf(script, 'time'), callsOf(script, 'del')]).toEqual([7, 7])
      const decisions = await Promise.all(
        Array.from({ length: 7 }, (_, index) => store.decide(policy, `count:fw:${index}`, 1)),
      )
      expect(decisions.map(({ remaining }) => remaining)).toEqual(Array<number>(7).fill(9))
    })

    it('after SCRIPT FLUSH, spends one failed EVALSHA and one EVAL, then EVALSHA again', async () => {
      const policy: LimitPolicy = { algorithm: 'token-bucket', limit: 10, period: 60_000 }
      const key = 'count:noscript'
      await store.decide(policy, key, 1)
      await Promise.all(masters().map((node) => node.script('FLUSH')))
      await resetStats()
      expect(await store.decide(policy, key, 1)).toMatchObject({ allowed: true, remaining: 8 })
      const afterFlush = await commandStats(masters())
      expect(afterFlush.sent).toEqual({ evalsha: { calls: 1, failed: 1 }, eval: { calls: 1, failed: 0 } })
      expect(callsOf(afterFlush.script, 'time')).toBe(1)
      await resetStats()
      expect(await store.decide(policy, key, 1)).toMatchObject({ allowed: true, remaining: 7 })
      expect((await commandStats(masters())).sent).toEqual({ evalsha: { calls: 1, failed: 0 } })
    })
  })
})
