import type { SecurityEvent } from '@sec/core'
import { tokenBucket } from '@sec/core/ratelimit'
import { describeWithRedis, type RedisTestServer, startRedisServer } from '@sec/testkit'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { redisStore } from './redis-store.js'

const timeoutMs = 100
const probeInterval = 100
/** Allowance for timers firing late on a busy machine; a hang would be seconds, not this. */
const margin = 250

describeWithRedis('tokenBucket on redisStore, end to end', () => {
  let server: RedisTestServer
  let client: Redis
  beforeAll(async () => {
    server = await startRedisServer()
    client = new Redis(server.port, '127.0.0.1')
    client.on('error', () => {})
    await client.ping()
  })
  afterAll(async () => {
    client?.disconnect()
    await server?.stop()
  })

  it('limits on Redis, fails closed or falls back to insurance while it is killed, and recovers', async () => {
    const events: SecurityEvent[] = []
    const store = redisStore(client, { timeoutMs })
    const common = {
      capacity: 5,
      refillRate: 1,
      interval: '1h',
      store,
      probeInterval,
      events: [events.push.bind(events)],
    } as const
    const closed = tokenBucket({ ...common, name: 'e2e-closed', fail: 'closed' })
    const insured = tokenBucket({
      ...common,
      name: 'e2e-insured',
      insurance: tokenBucket({ name: 'e2e-insurance', capacity: 2, refillRate: 1, interval: '1h' }),
    })

    expect(await closed.limit('client')).toMatchObject({ allowed: true, remaining: 4, source: 'store' })
    expect(await insured.limit('client')).toMatchObject({ allowed: true, remaining: 4, source: 'store' })
    expect(await client.exists('sec:rl:{e2e-closed:client}')).toBe(1)

    await server.kill('SIGKILL')
    const started = performance.now()
    expect(await closed.limit('client')).toMatchObject({
      allowed: false,
      retryAfter: probeInterval,
      source: 'fail-closed',
    })
    const insuredAnswers = [
      await insured.limit('client'),
      await insured.limit('client'),
      await insured.limit('client'),
    ]
    expect(performance.now() - started).toBeLessThan(3 * (timeoutMs + margin))
    expect(insuredAnswers.map(({ allowed, source }) => [allowed, source])).toEqual([
      [true, 'insurance'],
      [true, 'insurance'],
      [false, 'insurance'],
    ])
    expect(events.map((event) => [event.type, 'limiter' in event ? event.limiter : ''])).toEqual([
      ['ratelimit.store-unavailable', 'e2e-closed'],
      ['ratelimit.store-unavailable', 'e2e-insured'],
    ])

    await server.restart()
    const deadline = performance.now() + 10_000
    let answer = await closed.peek('probe')
    while (answer.source !== 'store' && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, probeInterval))
      answer = await closed.peek('probe')
    }
    expect(answer).toMatchObject({ allowed: true, remaining: 5, source: 'store' })
    // The restarted Redis is empty, so keys start full again. (A decision that timed out during the
    // outage may still be applied after the reconnection: ioredis resends what was in flight.)
    expect(await closed.limit('after')).toMatchObject({ allowed: true, remaining: 4, source: 'store' })
    expect(await insured.limit('after')).toMatchObject({ allowed: true, remaining: 4, source: 'store' })
    expect(events.slice(2).map((event) => [event.type, 'limiter' in event ? event.limiter : ''])).toEqual([
      ['ratelimit.store-recovered', 'e2e-closed'],
      ['ratelimit.store-recovered', 'e2e-insured'],
    ])
  })
})
