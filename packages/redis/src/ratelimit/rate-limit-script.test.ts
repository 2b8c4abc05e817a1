import type { LimitAlgorithm, LimitPolicy } from '@sec/core'
import { describeWithRedis, type RedisTestServer, startRedisServer } from '@sec/testkit'
import fc from 'fast-check'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { referenceStore } from '../testing/reference-decide.js'
import { rateLimitScript } from './rate-limit-script.js'

// A copy of the script whose clock is an argument, so the math can be checked at chosen instants
// against the reference. Its TTLs are shifted by a constant, so keys do not expire in real time
// while the test's clock stands still; the TTL math itself is unchanged and checked through PTTL.
const ttlShift = 100_000_000
const clockLines =
  "local time = redis.call('TIME')\nlocal now = tonumber(time[1]) * 1000 + tonumber(time[2]) / 1000"
const ttlLine = "return string.format('%d', whole)"
const timedScript = rateLimitScript
  .replace(clockLines, 'local now = tonumber(ARGV[5])')
  .replace(ttlLine, `return string.format('%d', whole + ${ttlShift})`)

interface Step {
  readonly cost: number
  /** Time since the previous step, as a fraction of the period. */
  readonly advance: number
}

const advance = fc.oneof(
  fc.constant(0),
  fc.double({ min: 0, max: 0.2, noNaN: true }),
  fc.double({ min: 0, max: 2.5, noNaN: true }),
)

function scenario(algorithm: LimitAlgorithm) {
  const wholeCosts = algorithm === 'sliding-log'
  const limit = wholeCosts
    ? fc.integer({ min: 1, max: 12 })
    : fc.oneof(fc.constantFrom(1, 2, 3, 2.5, 10, 1000), fc.double({ min: 1, max: 50, noNaN: true }))
  // Windows are whole milliseconds (durations are); a bucket's period often is not (capacity * interval / rate).
  const period =
    algorithm === 'token-bucket'
      ? fc.oneof(fc.integer({ min: 1, max: 100_000 }), fc.double({ min: 1, max: 1e7, noNaN: true }))
      : fc.integer({ min: 1, max: 100_000 })
  return fc
    .record({ limit, period, start: fc.double({ min: 1.7e12, max: 1.8e12, noNaN: true }) })
    .chain(({ limit, period, start }) => {
      const cost = wholeCosts
        ? fc.integer({ min: 0, max: limit })
        : fc.oneof(
            fc.constantFrom(0, 0.1, 0.25, 0.5, 1, 2).map((cost) => Math.min(cost, limit)),
            fc.double({ min: 0, max: limit, noNaN: true }),
          )
      const step: fc.Arbitrary<Step> = fc.record({ cost, advance })
      return fc.record({
        policy: fc.constant<LimitPolicy>({ algorithm, limit, period }),
        start: fc.constant(start),
        steps: fc.array(step, { minLength: 1, maxLength: 40 }),
      })
    })
}

const algorithms: readonly LimitAlgorithm[] = [
  'token-bucket',
  'fixed-window',
  'sliding-window',
  'sliding-log',
]

describeWithRedis('the rate-limit script', () => {
  let server: RedisTestServer
  let client: Redis
  beforeAll(async () => {
    server = await startRedisServer()
    client = new Redis(server.port, '127.0.0.1')
  })
  afterAll(async () => {
    client?.disconnect()
    await server?.stop()
  })

  it('has a timed copy that differs only in its clock and TTL lines', () => {
    expect(timedScript).not.toContain("redis.call('TIME')")
    expect(timedScript).toContain(`whole + ${ttlShift}`)
    expect(timedScript.length - rateLimitScript.length).toBe(
      'local now = tonumber(ARGV[5])'.length - clockLines.length + ` + ${ttlShift}`.length,
    )
  })

  let run = 0
  it.each(algorithms)('computes exactly the reference math for %s, TTLs included', async (algorithm) => {
    await fc.assert(
      fc.asyncProperty(scenario(algorithm), async ({ policy, start, steps }) => {
        const reference = referenceStore()
        const key = `property:${algorithm}:${run++}`
        let now = start
        for (const { cost, advance } of steps) {
          now += advance * policy.period
          const expected = reference.decide(policy, key, cost, now)
          const reply = await client.eval(
            timedScript,
            1,
            key,
            policy.algorithm,
            String(policy.limit),
            String(policy.period),
            String(cost),
            String(now),
          )
          expect(reply).toEqual([
            expected.allowed ? 1 : 0,
            expected.remaining,
            expected.reset,
            expected.retryAfter,
          ])
          if (expected.ttl !== undefined) {
            const ttl = await client.pttl(key)
            expect(ttl).toBeLessThanOrEqual(ttlShift + expected.ttl)
            expect(ttl).toBeGreaterThan(ttlShift + expected.ttl - 5_000)
          }
        }
        await client.del(key)
      }),
      { numRuns: 60 },
    )
  })

  it('answers a peek on a fresh key as full, writing nothing', async () => {
    for (const algorithm of algorithms) {
      const key = `peek:${algorithm}`
      const reply = await client.eval(rateLimitScript, 1, key, algorithm, '5', '1000', '0')
      expect(reply).toEqual([1, 5, 0, 0])
      expect(await client.exists(key)).toBe(0)
    }
  })

  it('refuses an unknown algorithm', async () => {
    await expect(
      client.eval(rateLimitScript, 1, 'unknown', 'leaky-bucket', '5', '1000', '1'),
    ).rejects.toThrow('unknown rate-limit algorithm leaky-bucket')
  })
})
