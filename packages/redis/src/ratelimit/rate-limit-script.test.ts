import type { LimitAlgorithm, LimitDecision, LimitPolicy } from '@sec/core'
import { describeWithRedis, type RedisTestServer, startRedisServer } from '@sec/testkit'
import fc from 'fast-check'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { coreKey } from '../testing/core-key.js'
import { algorithms } from '../testing/test-settings.js'
import { replyDecoder } from './rate-limit-reply.js'
import { rateLimitScripts } from './rate-limit-script.js'

// Copies of the scripts whose clock is an argument, so the math can be checked at chosen instants
// against the core algorithms. Their TTLs are shifted by a constant, so keys do not expire in real
// time while the test's clock stands still; the TTL math itself is unchanged and checked through PTTL.
// Replies are decoded as the store decodes them, so what is compared is the decision a caller gets.
const ttlShift = 100_000_000
const clockLines = "local time = redis.call('TIME')\nlocal now = time[1] * 1000 + time[2] / 1000"
const timedClock = 'local now = tonumber(ARGV[4])'
const ttlArgument = "string.format('%d', ttl)"
const timedTtl = ttlArgument.replace('ttl)', `ttl + ${ttlShift})`)

function timed(script: string): string {
  return script.replace(clockLines, timedClock).replaceAll(ttlArgument, timedTtl)
}

const timedScripts = Object.fromEntries(
  algorithms.map((algorithm) => [algorithm, timed(rateLimitScripts[algorithm])]),
) as Record<LimitAlgorithm, string>

/** (limit, period) pairs whose per-unit time rounds when added to an epoch-sized clock. */
const roundingRates: readonly (readonly [number, number])[] = [
  [7, 1000],
  [60, 1000],
  [99, 1000],
  [9, 60_000],
  [70, 3_600_000],
]

/** A time as Redis's `TIME` gives it to the script: whole µs, turned into ms the script's way. */
function redisClock(micros: number): number {
  return Math.floor(micros / 1e6) * 1000 + (micros % 1e6) / 1000
}

/** A decision as plain fields, where -0 (which the core may compute and Redis cannot send) is 0. */
function plain(decision: LimitDecision): LimitDecision {
  const { allowed, remaining, reset, retryAfter } = decision
  const zeroed = (value: number): number => (value === 0 ? 0 : value)
  return { allowed, remaining: zeroed(remaining), reset: zeroed(reset), retryAfter: zeroed(retryAfter) }
}

/** The key a decision at `now` writes: a fixed window's counter carries its window's number. */
function writtenKey(policy: LimitPolicy, key: string, now: number): string {
  return policy.algorithm === 'fixed-window' ? `${key}:${Math.floor(now / policy.period)}` : key
}

type Advance =
  | { readonly kind: 'periods'; readonly periods: number }
  | { readonly kind: 'micros'; readonly micros: number }
  /** Exactly the previous decision's `retryAfter` (or `reset` when it was admitted). */
  | { readonly kind: 'as-told' }
  /**
   * To `before` ms ahead of the end of the current aligned window, give or take `jitter` steps of
   * the clock (1 µs on Redis's clock, 1e-4 ms otherwise): where rounding decides whole ms.
   */
  | { readonly kind: 'boundary'; readonly before: number; readonly jitter: number }

interface Step {
  readonly advance: Advance
  readonly cost: number
  /** Decisions of `cost` at the same instant. */
  readonly times: number
}

const advance: fc.Arbitrary<Advance> = fc.oneof(
  fc.constant({ kind: 'periods', periods: 0 } as const),
  fc.record({ kind: fc.constant('periods' as const), periods: fc.double({ min: 0, max: 0.2, noNaN: true }) }),
  fc.record({ kind: fc.constant('periods' as const), periods: fc.double({ min: 0, max: 2.5, noNaN: true }) }),
  fc.record({ kind: fc.constant('micros' as const), micros: fc.integer({ min: 1, max: 50 }) }),
  fc.constant({ kind: 'as-told' } as const),
  fc.record({
    kind: fc.constant('boundary' as const),
    before: fc.integer({ min: 0, max: 5 }),
    jitter: fc.integer({ min: -3, max: 3 }),
  }),
)

function scenario(algorithm: LimitAlgorithm) {
  const wholeCosts = algorithm === 'sliding-log'
  const anyRate = fc.record({
    limit: wholeCosts
      ? fc.integer({ min: 1, max: 12 })
      : fc.oneof(fc.constantFrom(1, 2, 3, 2.5, 10, 1000), fc.double({ min: 1, max: 50, noNaN: true })),
    // Limiters make windows of whole ms (durations are) and a bucket's period often fractional
    // (capacity * interval / rate); the store takes any period a policy holds, so both are tried.
    period: fc.oneof(
      fc.integer({ min: 1, max: 100_000 }),
      fc.double({ min: 1, max: algorithm === 'token-bucket' ? 1e7 : 1e5, noNaN: true }),
    ),
  })
  const rate = fc.oneof(
    fc.constantFrom(...roundingRates).map(([limit, period]) => ({ limit, period })),
    anyRate,
  )
  return fc
    .record({
      rate,
      // Redis's clock (whole µs, as `TIME` gives it) or any double on an epoch-sized clock.
      redisTime: fc.boolean(),
      startMicros: fc.integer({ min: 1.7e15, max: 1.8e15 }),
      startMs: fc.double({ min: 1.7e12, max: 1.8e12, noNaN: true }),
    })
    .chain(({ rate: { limit, period }, redisTime, startMicros, startMs }) => {
      const cost = wholeCosts
        ? fc.oneof(fc.constantFrom(0, 1), fc.integer({ min: 0, max: limit }))
        : fc.oneof(
            fc.constantFrom(0, 0.1, 0.25, 0.5, 1, 2).map((cost) => Math.min(cost, limit)),
            fc.double({ min: 0, max: limit, noNaN: true }),
          )
      const times = fc.oneof({ weight: 4, arbitrary: fc.constant(1) }, fc.integer({ min: 2, max: 100 }))
      return fc.record({
        policy: fc.constant<LimitPolicy>({ algorithm, limit, period }),
        redisTime: fc.constant(redisTime),
        start: fc.constant(redisTime ? startMicros : startMs),
        steps: fc.array(fc.record({ advance, cost, times }), { minLength: 1, maxLength: 30 }),
      })
    })
}

/** A decision as both sides see it: its inputs, the core's answer and how long the key must live. */
interface Expected {
  readonly now: number
  readonly cost: number
  readonly decision: LimitDecision
  readonly lifetime: number | undefined
}

/** Runs the steps through the core algorithm, on the chosen kind of clock. */
function coreRun(policy: LimitPolicy, redisTime: boolean, start: number, steps: readonly Step[]): Expected[] {
  const core = coreKey(policy.algorithm)
  // On Redis's clock, time is counted in whole µs and turned into ms only for each decision.
  let clock = start
  let told = 0
  let counted: number | undefined
  const expected: Expected[] = []
  for (const { advance, cost, times } of steps) {
    if (advance.kind === 'boundary') {
      const period = policy.period
      const end = (Math.floor((redisTime ? redisClock(clock) : clock) / period) + 1) * period - advance.before
      const target = redisTime ? Math.round(end * 1000) + advance.jitter : end + advance.jitter * 1e-4
      clock = Math.max(clock, target)
    } else if (redisTime) {
      if (advance.kind === 'periods') clock += Math.round(advance.periods * policy.period * 1000)
      else if (advance.kind === 'micros') clock += advance.micros
      else clock += told * 1000
    } else {
      if (advance.kind === 'periods') clock += advance.periods * policy.period
      else if (advance.kind === 'micros') clock += advance.micros / 1000
      else clock += told
    }
    const now = redisTime ? redisClock(clock) : clock
    for (let i = 0; i < times; i++) {
      const decision = core.decide(now, policy, cost)
      told = decision.allowed ? decision.reset : decision.retryAfter
      let wrote = decision.allowed && cost > 0
      if (wrote && policy.algorithm === 'fixed-window') {
        // A counter's TTL is set once, by the write that creates it, to its window's end; later
        // writes leave it to run down in real time, which the timed clock does not follow.
        const window = Math.floor(now / policy.period)
        wrote = window !== counted
        counted = window
      }
      expected.push({
        now,
        cost,
        decision: plain(decision),
        lifetime: wrote ? core.lifetime(now, policy) : undefined,
      })
    }
  }
  return expected
}

describeWithRedis('the rate-limit scripts', () => {
  let server: RedisTestServer
  let client: Redis
  const timedShas: Partial<Record<LimitAlgorithm, string>> = {}
  beforeAll(async () => {
    server = await startRedisServer()
    client = new Redis(server.port, '127.0.0.1')
    for (const algorithm of algorithms)
      timedShas[algorithm] = String(await client.script('LOAD', timedScripts[algorithm]))
  })
  afterAll(async () => {
    client?.disconnect()
    await server?.stop()
  })

  /**
   * The timed script's decisions of `decisions` on `key`, each followed by the written key's PTTL
   * when it wrote.
   */
  async function scriptRun(
    policy: LimitPolicy,
    key: string,
    decisions: readonly Expected[],
  ): Promise<{ decision: LimitDecision; pttl: unknown }[]> {
    const decode = replyDecoder(policy)
    const written = new Set<string>()
    const pipeline = client.pipeline()
    for (const { now, cost, lifetime } of decisions) {
      pipeline.evalsha(
        timedShas[policy.algorithm] as string,
        1,
        key,
        String(policy.limit),
        String(policy.period),
        String(cost),
        String(now),
      )
      if (lifetime !== undefined) {
        written.add(writtenKey(policy, key, now))
        pipeline.pttl(writtenKey(policy, key, now))
      }
    }
    pipeline.del(key, ...written)
    const results = (await pipeline.exec()) ?? []
    const answers: { decision: LimitDecision; pttl: unknown }[] = []
    let at = 0
    for (const { cost, lifetime } of decisions) {
      const [error, reply] = results[at++] ?? [new Error('missing reply'), undefined]
      if (error) throw error
      const pttl = lifetime === undefined ? undefined : results[at++]?.[1]
      answers.push({ decision: decode(reply, cost), pttl })
    }
    return answers
  }

  it.each(algorithms)('has a timed copy of %s that differs only in its clock and TTL lines', (algorithm) => {
    const script = rateLimitScripts[algorithm]
    const copy = timedScripts[algorithm]
    expect(copy).not.toContain("redis.call('TIME')")
    const ttlWrites = script.split(ttlArgument).length - 1
    expect(ttlWrites).toBeGreaterThanOrEqual(1)
    expect(copy.split(timedTtl)).toHaveLength(ttlWrites + 1)
    expect(copy.length - script.length).toBe(
      timedClock.length - clockLines.length + ttlWrites * ` + ${ttlShift}`.length,
    )
  })

  let run = 0
  it.each(algorithms)(
    'answers exactly what the core algorithm answers for %s, TTLs included',
    async (algorithm) => {
      let decisions = 0
      await fc.assert(
        fc.asyncProperty(scenario(algorithm), async ({ policy, redisTime, start, steps }) => {
          const expected = coreRun(policy, redisTime, start, steps)
          const actual = await scriptRun(policy, `property:${algorithm}:${run++}`, expected)
          decisions += expected.length
          expected.forEach(({ now, cost, decision, lifetime }, index) => {
            const answer = actual[index]
            expect({ index, now, cost, decision: answer?.decision }).toEqual({ index, now, cost, decision })
            if (lifetime !== undefined) {
              // The key lives as long as the core's state matters: PTTL counts down in real time
              // from ceil(lifetime) (at least 1 ms), give or take the 1 ms by which a window's end
              // (start + period, rounded on an epoch-sized clock) and the script's relative form of
              // it (start - now + period) can round apart.
              const ttl = Number(answer?.pttl) - ttlShift
              expect(ttl).toBeLessThanOrEqual(Math.max(1, Math.ceil(lifetime) + 1))
              expect(ttl).toBeGreaterThan(lifetime - 5_000)
            }
          })
        }),
        { numRuns: 200 },
      )
      // Scenarios have up to 30 steps of up to 100 decisions each; most steps are single decisions.
      expect(decisions).toBeGreaterThan(200 * 10)
    },
  )

  it.each(roundingRates)(
    'admits a whole burst at one epoch instant, for %s per %s ms',
    async (limit, period) => {
      const policy: LimitPolicy = { algorithm: 'token-bucket', limit, period }
      const now = redisClock(1_795_836_453_365_505)
      // limit + 1 unit costs at one instant, and again exactly one period later.
      const expected = coreRun(policy, false, now, [
        { advance: { kind: 'periods', periods: 0 }, cost: 1, times: limit + 1 },
        { advance: { kind: 'periods', periods: 1 }, cost: 1, times: limit + 1 },
      ])
      const decisions = (await scriptRun(policy, `burst:${limit}:${period}`, expected)).map(
        ({ decision }) => decision,
      )
      expect(decisions).toEqual(expected.map(({ decision }) => decision))
      const denial = { allowed: false, remaining: 0, reset: period, retryAfter: Math.ceil(period / limit) }
      for (const burst of [decisions.slice(0, limit + 1), decisions.slice(limit + 1)]) {
        expect(burst.map(({ allowed }) => allowed)).toEqual([...Array<boolean>(limit).fill(true), false])
        expect(burst.map(({ remaining }) => remaining)).toEqual(
          Array.from({ length: limit + 1 }, (_, index) => Math.max(0, limit - index - 1)),
        )
        expect(burst.at(-1)).toEqual(denial)
      }
    },
  )

  it.each<[string, LimitPolicy, readonly number[]]>([
    // Each cost of 1e8 leaves integers (remaining * radix + reset) far above 2^53.
    ['token-bucket', { algorithm: 'token-bucket', limit: 1e9, period: 1e8 }, [1e8, 5e8, 4e8, 1e8, 0]],
    ['fixed-window', { algorithm: 'fixed-window', limit: 1e9, period: 1e8 }, [1e8, 5e8, 4e8, 1e8, 0]],
    ['sliding-window', { algorithm: 'sliding-window', limit: 1e9, period: 1e8 }, [1e8, 5e8, 4e8, 1e8, 0]],
    ['sliding-log', { algorithm: 'sliding-log', limit: 1000, period: 1e15 }, [100, 500, 400, 100, 0]],
  ])('answers %s in text when the integer reply would not be exact', async (algorithm, policy, costs) => {
    const steps: Step[] = costs.map((cost) => ({ advance: { kind: 'micros', micros: 7 }, cost, times: 1 }))
    const expected = coreRun(policy, true, 1_795_836_453_365_505, steps)
    const actual = await scriptRun(policy, `large:${algorithm}`, expected)
    expect(actual.map(({ decision }) => decision)).toEqual(expected.map(({ decision }) => decision))
    expect(expected.slice(0, 4).map(({ decision }) => decision.allowed)).toEqual([true, true, true, false])
  })

  it('answers a peek on a fresh key as full, writing nothing', async () => {
    for (const algorithm of algorithms) {
      const policy: LimitPolicy = { algorithm, limit: 5, period: 1000 }
      const key = `peek:${algorithm}`
      const reply = await client.eval(rateLimitScripts[algorithm], 1, key, '5', '1000', '0')
      expect(replyDecoder(policy)(reply, 0)).toEqual({ allowed: true, remaining: 5, reset: 0, retryAfter: 0 })
      expect(await client.keys(`${key}*`)).toEqual([])
    }
  })

  /** A window long enough that the test does not see one end. */
  const period = 1e9
  const doubles = (...values: number[]): Buffer => {
    const bytes = Buffer.alloc(8 * values.length)
    for (const [index, value] of values.entries()) bytes.writeDoubleLE(value, 8 * index)
    return bytes
  }
  const readDoubles = (bytes: Buffer | null): number[] =>
    bytes === null
      ? []
      : Array.from({ length: bytes.length / 8 }, (_, index) => bytes.readDoubleLE(8 * index))

  /** A decision of cost 1 against a limit of 5 on `key`, as the store decodes it. */
  async function decideOne(algorithm: LimitAlgorithm, key: string): Promise<LimitDecision> {
    const reply = await client.eval(rateLimitScripts[algorithm], 1, key, '5', String(period), '1')
    return replyDecoder({ algorithm, limit: 5, period })(reply, 1)
  }

  it.each<[string, LimitAlgorithm, (ms: number, window: number) => string | Buffer]>([
    ['text of an earlier format', 'token-bucket', (ms) => `${ms} 100`],
    ['words', 'token-bucket', () => 'x y'],
    ['15 bytes', 'token-bucket', (ms) => doubles(ms, 100).subarray(1)],
    ['17 bytes', 'token-bucket', (ms) => Buffer.concat([doubles(ms, 100), Buffer.from([0])])],
    ['a negative debt', 'token-bucket', (ms) => doubles(ms, -5)],
    ['a debt that is not a number', 'token-bucket', (ms) => doubles(ms, Number.NaN)],
    ['an infinite debt', 'token-bucket', (ms) => doubles(ms, Number.POSITIVE_INFINITY)],
    ['a time that is not finite', 'token-bucket', () => doubles(Number.POSITIVE_INFINITY, 100)],
    ['a time that is not a number', 'token-bucket', () => doubles(Number.NaN, 100)],
    ['16 bytes', 'sliding-window', (_, window) => doubles(window, 3)],
    ['a negative count', 'sliding-window', (_, window) => doubles(window, 0, -3)],
    [
      'a previous count that is not a number',
      'sliding-window',
      (_, window) => doubles(window, Number.NaN, 0),
    ],
    ['an infinite count', 'sliding-window', (_, window) => doubles(window, 0, Number.POSITIVE_INFINITY)],
  ])('treats state stored as %s (%s) as absent, and replaces it', async (_, algorithm, stored) => {
    const key = `format:${algorithm}`
    const [seconds] = await client.time()
    const ms = Number(seconds) * 1000
    const window = Math.floor(ms / period)
    await client.set(key, stored(ms, window), 'PX', 60_000)
    expect(await decideOne(algorithm, key)).toMatchObject({ allowed: true, remaining: 4 })
    const [first = Number.NaN, ...counts] = readDoubles(await client.getBuffer(key))
    if (algorithm === 'token-bucket') expect([first >= ms, counts]).toEqual([true, [period / 5]])
    else expect([first, counts]).toEqual([window, [0, 1]])
    expect(await client.pttl(key)).toBeGreaterThan(60_000)
  })

  it.each<[string, string | null]>([
    ['a negative count', '-3'],
    ['words', 'x y'],
    ['a count that is not a number', 'nan'],
    ['an infinite count', 'inf'],
    ['another type', null],
  ])("treats a fixed window's counter holding %s as absent, and replaces it", async (what, stored) => {
    const key = `format:fixed-window:${what}`
    const [seconds] = await client.time()
    const counter = `${key}:${Math.floor((Number(seconds) * 1000) / period)}`
    if (stored === null) await client.rpush(counter, 'x')
    else await client.set(counter, stored, 'PX', 60_000)
    expect(await decideOne('fixed-window', key)).toMatchObject({ allowed: true, remaining: 4 })
    expect(await client.get(counter)).toBe('1')
    expect(await client.pttl(counter)).toBeGreaterThan(60_000)
  })

  it('ignores fixed-window state of the earlier format, one packed string per key', async () => {
    const key = 'format:fixed-window:packed'
    const [seconds] = await client.time()
    const window = Math.floor((Number(seconds) * 1000) / period)
    await client.set(key, doubles(window, 5), 'PX', 60_000)
    expect(await decideOne('fixed-window', key)).toMatchObject({ allowed: true, remaining: 4 })
    expect(await client.get(`${key}:${window}`)).toBe('1')
  })

  it.each<[LimitAlgorithm, string, (ms: number, window: number) => Buffer | string]>([
    ['token-bucket', '', (ms) => doubles(ms, (3 * period) / 5)],
    ['fixed-window', ':window', () => '3'],
    ['fixed-window', ':window', () => '2.5'],
    ['sliding-window', '', (_, window) => doubles(window, 0, 3)],
  ])('reads its own %s state (key suffix "%s")', async (algorithm, suffix, stored) => {
    const key = `own:${algorithm}`
    const [seconds] = await client.time()
    const ms = Number(seconds) * 1000
    const window = Math.floor(ms / period)
    await client.set(`${key}${suffix.replace('window', String(window))}`, stored(ms, window), 'PX', 60_000)
    expect(await decideOne(algorithm, key)).toMatchObject({ allowed: true, remaining: 1 })
    await client.del(`${key}:${window}`)
  })
})
