import fc from 'fast-check'
import { describe, expect, expectTypeOf, it } from 'vitest'
import type { SecurityEvent } from '../../events/index.js'
import type { LimitDecision, LimitPolicy, RateLimitStore } from '../limit-policy.js'
import { memoryStore } from '../memory-store.js'
import type { LimitSource, RateLimiter, RateLimitResult, SyncRateLimiter } from '../rate-limiter.js'
import { isSyncLimiter } from './create-limiter.js'
import { FakeStore, ManualClock } from './fake-stores.js'
import { fixedWindow } from './fixed-window.js'
import { SecRateLimitError } from './ratelimit-error.js'
import { slidingLog } from './sliding-log.js'
import { slidingWindow } from './sliding-window.js'
import { tokenBucket } from './token-bucket.js'

type Factory = (clock: ManualClock) => SyncRateLimiter

const factories: Record<string, Factory> = {
  'token bucket': (clock) =>
    tokenBucket({ capacity: 5, refillRate: 2, interval: '1s', clock, store: memoryStore({ clock }) }),
  'fixed window': (clock) => fixedWindow({ limit: 5, window: '1s', clock, store: memoryStore({ clock }) }),
  'sliding window': (clock) =>
    slidingWindow({ limit: 5, window: '1s', clock, store: memoryStore({ clock }) }),
  'sliding log': (clock) => slidingLog({ limit: 5, window: '1s', clock, store: memoryStore({ clock }) }),
}

/** A store that says it is a memory store and forwards to a fake one, so the limiter cannot bind it. */
function foreignMemoryStore(fake: FakeStore): RateLimitStore {
  return {
    kind: 'memory',
    decide: (policy: LimitPolicy, key: string, cost: number) => fake.decide(policy, key, cost),
    reset: (policy: LimitPolicy, key: string) => fake.reset(policy, key),
  }
}

describe('limitSync and peekSync', () => {
  for (const [name, make] of Object.entries(factories)) {
    it(`give the answers limit() and peek() give, call for call (${name})`, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(
            fc.record({
              key: fc.constantFrom('a', 'b'),
              cost: fc.constantFrom(0, 1, 2, 5),
              wait: fc.integer({ min: 0, max: 700 }),
            }),
            { maxLength: 40 },
          ),
          async (calls) => {
            const clock = new ManualClock()
            const sync = make(clock)
            const promised = make(clock)
            for (const { key, cost, wait } of calls) {
              clock.advance(wait)
              const expected = cost === 0 ? await promised.peek(key) : await promised.limit(key, { cost })
              const actual = cost === 0 ? sync.peekSync(key) : sync.limitSync(key, { cost })
              expect(actual).toEqual(expected)
            }
          },
        ),
        { numRuns: 100 },
      )
    })
  }

  it('answer with a plain result, a denial included, and from the block cache once denied', () => {
    const clock = new ManualClock()
    const limiter = fixedWindow({ limit: 2, window: '1s', name: 'api', clock })
    // [allowed, remaining, reset, retryAfter, source] of a limit of 2.
    const result = (
      ...[allowed, remaining, reset, retryAfter, source]: [boolean, number, number, number, LimitSource]
    ) => ({
      allowed,
      limit: 2,
      remaining,
      reset,
      retryAfter,
      source,
    })
    expect(limiter.limitSync('k')).toEqual(result(true, 1, 1000, 0, 'store'))
    expect(limiter.limitSync('k', { cost: 1 })).toEqual(result(true, 0, 1000, 0, 'store'))
    expect(limiter.limitSync('k')).toEqual(result(false, 0, 1000, 1000, 'store'))
    clock.advance(400)
    expect(limiter.peekSync('k')).toEqual(result(false, 0, 600, 600, 'block-cache'))
    clock.advance(600)
    expect(limiter.limitSync('k')).toEqual(result(true, 1, 1000, 0, 'store'))
  })

  it('throw SecRateLimitError for the calls limit() rejects, changing nothing', () => {
    const limiter = tokenBucket({ capacity: 2, refillRate: 1, interval: '1s', name: 'api' })
    const codeOf = (call: () => unknown): string => {
      try {
        call()
      } catch (error) {
        expect(error).toBeInstanceOf(SecRateLimitError)
        return (error as SecRateLimitError).code
      }
      throw new Error('expected the call to throw')
    }
    expect(codeOf(() => limiter.limitSync(''))).toBe('SEC_RATELIMIT_KEY')
    expect(codeOf(() => limiter.limitSync(42 as unknown as string))).toBe('SEC_RATELIMIT_KEY')
    expect(codeOf(() => limiter.limitSync('k', { cost: 3 }))).toBe('SEC_RATELIMIT_COST')
    expect(codeOf(() => limiter.limitSync('k', { cost: Number.NaN }))).toBe('SEC_RATELIMIT_COST')
    expect(codeOf(() => limiter.limitSync('k', null as unknown as { cost: number }))).toBe(
      'SEC_RATELIMIT_COST',
    )
    expect(codeOf(() => limiter.peekSync('x'.repeat(1025)))).toBe('SEC_RATELIMIT_KEY')
    expect(limiter.peekSync('k').remaining).toBe(2)
  })

  it('exist only where the counters live in process', () => {
    expect(isSyncLimiter(tokenBucket({ capacity: 2, refillRate: 1, interval: '1s' }))).toBe(true)
    expect(isSyncLimiter(slidingWindow({ limit: 2, window: '1s', store: memoryStore() }))).toBe(true)
    const shared: RateLimiter = slidingWindow({ limit: 2, window: '1s', store: new FakeStore() })
    expect(isSyncLimiter(shared)).toBe(false)
    expect('limitSync' in shared).toBe(false)
  })

  it('are typed on the limiters whose store is in process, and only there', () => {
    expectTypeOf(tokenBucket({ capacity: 2, refillRate: 1, interval: '1s' })).toEqualTypeOf<SyncRateLimiter>()
    expectTypeOf(
      fixedWindow({ limit: 2, window: '1s', store: memoryStore() }),
    ).toEqualTypeOf<SyncRateLimiter>()
    const store: RateLimitStore = new FakeStore()
    expectTypeOf(slidingLog({ limit: 2, window: '1s', store })).toEqualTypeOf<RateLimiter>()
  })
})

describe('limitSync when the store fails', () => {
  const throwingClock = (clock: ManualClock, failing: { on: boolean }) => ({
    now: () => {
      if (failing.on) throw new Error('clock broke')
      return clock.now()
    },
  })

  it('answers by the fail policy and emits one event, then recovers on a probe', () => {
    const clock = new ManualClock()
    const failing = { on: true }
    const events: SecurityEvent[] = []
    const limiter = tokenBucket({
      capacity: 2,
      refillRate: 1,
      interval: '1s',
      name: 'api',
      clock,
      store: memoryStore({ clock: throwingClock(clock, failing) }),
      events: (event) => events.push(event),
    })
    const closed: RateLimitResult = {
      allowed: false,
      limit: 2,
      remaining: 0,
      reset: 1000,
      retryAfter: 1000,
      source: 'fail-closed',
    }
    expect(limiter.limitSync('k')).toEqual(closed)
    expect(limiter.limitSync('k')).toEqual(closed)
    expect(events.map((event) => event.type)).toEqual(['ratelimit.store-unavailable'])
    failing.on = false
    clock.advance(1000)
    expect(limiter.limitSync('k')).toEqual({
      allowed: true,
      limit: 2,
      remaining: 1,
      reset: 1000,
      retryAfter: 0,
      source: 'store',
    })
    expect(events.map((event) => event.type)).toEqual([
      'ratelimit.store-unavailable',
      'ratelimit.store-recovered',
    ])
  })

  it('decides with a synchronous insurance, and by the fail policy when the insurance is not synchronous', () => {
    const clock = new ManualClock()
    const failing = { on: true }
    const store = memoryStore({ clock: throwingClock(clock, failing) })
    const insured = fixedWindow({
      limit: 3,
      window: '1s',
      clock,
      store,
      insurance: fixedWindow({ limit: 3, window: '1s', clock, name: 'backup' }),
    })
    expect(insured.limitSync('k', { cost: 2 })).toEqual({
      allowed: true,
      limit: 3,
      remaining: 1,
      reset: 1000,
      retryAfter: 0,
      source: 'insurance',
    })
    const promisedInsurance = fixedWindow({
      limit: 3,
      window: '1s',
      clock,
      store,
      fail: 'open',
      insurance: fixedWindow({ limit: 3, window: '1s', store: new FakeStore() }),
    })
    expect(promisedInsurance.limitSync('k')).toEqual({
      allowed: true,
      limit: 3,
      remaining: 3,
      reset: 0,
      retryAfter: 0,
      source: 'fail-open',
    })
  })

  it("treats a store of kind 'memory' that answers a promise as failing, naming the fault in the event", async () => {
    const fake = new FakeStore()
    fake.mode = 'reject'
    const events: SecurityEvent[] = []
    const limiter = slidingWindow({
      limit: 3,
      window: '1s',
      name: 'api',
      store: foreignMemoryStore(fake),
      events: (event) => events.push(event),
    }) as SyncRateLimiter
    expect(limiter.limitSync('k').source).toBe('fail-closed')
    const [event] = events
    expect(event?.type).toBe('ratelimit.store-unavailable')
    expect((event as { error: SecRateLimitError }).error.code).toBe('SEC_RATELIMIT_STORE')
    await Promise.resolve()
  })

  it('decides synchronously on a memory store it could not bind', () => {
    const fake = new FakeStore()
    const limiter = slidingWindow({ limit: 1, window: '1s', name: 'api', store: foreignMemoryStore(fake) })
    expect(isSyncLimiter(limiter)).toBe(true)
    const sync = limiter as SyncRateLimiter
    const denial: Partial<LimitDecision> = { allowed: false }
    expect(sync.limitSync('k').allowed).toBe(true)
    expect(sync.limitSync('k')).toMatchObject({ ...denial, source: 'store' })
    expect(sync.limitSync('k')).toMatchObject({ ...denial, source: 'block-cache' })
    expect(fake.calls).toEqual([
      { key: 'api:k', cost: 1 },
      { key: 'api:k', cost: 1 },
    ])
  })
})
