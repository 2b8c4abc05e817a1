import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { SecurityEvent } from '../../events/index.js'
import { memoryStore } from '../memory-store.js'
import type { RateLimiter, RateLimitResult } from '../rate-limiter.js'
import { FakeStore, ManualClock } from './fake-stores.js'
import { fixedWindow } from './fixed-window.js'
import type { LimiterOptions } from './limiter-options.js'
import { SecRateLimitError } from './ratelimit-error.js'
import { slidingLog } from './sliding-log.js'
import { slidingWindow } from './sliding-window.js'
import { tokenBucket } from './token-bucket.js'

function setup(options: Partial<LimiterOptions> = {}, limit = 3) {
  const store = new FakeStore()
  const clock = new ManualClock()
  const events: SecurityEvent[] = []
  const limiter = slidingWindow({
    limit,
    window: '1m',
    name: 'api',
    store,
    clock,
    events: (event) => events.push(event),
    ...options,
  })
  return { store, clock, events, limiter }
}

const allowed = (remaining: number, reset = 1000): RateLimitResult => ({
  allowed: true,
  limit: 3,
  remaining,
  reset,
  retryAfter: 0,
  source: 'store',
})

async function takeAll(limiter: RateLimiter, key: string, times: number): Promise<RateLimitResult[]> {
  const results: RateLimitResult[] = []
  for (let i = 0; i < times; i++) results.push(await limiter.limit(key))
  return results
}

describe('a limiter and its store', () => {
  it("asks the store with the namespaced key and answers with the store's decision", async () => {
    const { store, limiter } = setup()
    expect(await limiter.limit('203.0.113.7')).toEqual(allowed(2))
    expect(await limiter.limit('203.0.113.7', { cost: 2 })).toEqual(allowed(0))
    expect(await limiter.limit('203.0.113.7')).toEqual({
      allowed: false,
      limit: 3,
      remaining: 0,
      reset: 1000,
      retryAfter: 1000,
      source: 'store',
    })
    expect(store.calls).toEqual([
      { key: 'api:203.0.113.7', cost: 1 },
      { key: 'api:203.0.113.7', cost: 2 },
      { key: 'api:203.0.113.7', cost: 1 },
    ])
  })

  it('peeks with a cost of 0', async () => {
    const { store, limiter } = setup()
    expect(await limiter.peek('k')).toEqual(allowed(3, 0))
    expect(store.calls).toEqual([{ key: 'api:k', cost: 0 }])
  })

  it('asks a synchronous store at once, before the caller awaits', () => {
    const { store, limiter } = setup()
    const pending = limiter.limit('k')
    expect(store.calls).toHaveLength(1)
    expect(pending).toBeInstanceOf(Promise)
  })

  it('answers the same from an asynchronous store', async () => {
    const { store, limiter } = setup()
    store.mode = 'async'
    expect(await limiter.limit('k', { cost: 3 })).toEqual(allowed(0))
    expect((await limiter.limit('k')).allowed).toBe(false)
  })

  it('takes non-ASCII keys, each its own', async () => {
    const { store, limiter } = setup()
    for (const key of ['zoë', 'zoe\u0308', 'zoe', '用户:42', 'user:😀']) await limiter.limit(key, { cost: 3 })
    expect(store.calls.map((call) => call.key)).toEqual([
      'api:zoë',
      'api:zoe\u0308',
      'api:zoe',
      'api:用户:42',
      'api:user:😀',
    ])
    expect([...store.used.values()]).toEqual([3, 3, 3, 3, 3])
  })

  it('takes fractional costs, and a cost equal to the limit', async () => {
    const store = new FakeStore()
    const limiter = tokenBucket({ capacity: 2, refillRate: 1, interval: '1s', store })
    await limiter.limit('k', { cost: 0.25 })
    await limiter.limit('k', { cost: 2 })
    expect(store.calls).toEqual([
      { key: 'tb-2-2000:k', cost: 0.25 },
      { key: 'tb-2-2000:k', cost: 2 },
    ])
  })

  it('resets the key in the store', async () => {
    const { store, limiter } = setup()
    await limiter.limit('k', { cost: 3 })
    await limiter.reset('k')
    expect(store.resets).toEqual(['api:k'])
    expect(await limiter.limit('k')).toEqual(allowed(2))
  })

  it('can be used detached from its object', async () => {
    const { limiter } = setup()
    const { limit, peek } = limiter
    expect((await limit('k')).allowed).toBe(true)
    expect((await peek('k')).remaining).toBe(2)
  })
})

describe('bad calls', () => {
  const badKeys: [string, unknown][] = [
    ['an empty key', ''],
    ['a 10 KB key', 'k'.repeat(10_240)],
    ['a key of 1025 units', 'k'.repeat(1025)],
    ['a lone surrogate', 'user:\udfff'],
    ['a number', 42],
    ['undefined', undefined],
  ]

  it.each(badKeys)('refuses %s in limit, peek and reset without touching the store', async (_, key) => {
    const { store, limiter } = setup()
    for (const call of [limiter.limit, limiter.peek, limiter.reset]) {
      await expect(call(key as string)).rejects.toThrow(
        expect.objectContaining({ name: 'SecRateLimitError', code: 'SEC_RATELIMIT_KEY', limiter: 'api' }),
      )
    }
    expect(store.calls).toEqual([])
    expect(store.resets).toEqual([])
  })

  it('takes a key of exactly 1024 units', async () => {
    const { limiter } = setup()
    expect((await limiter.limit('k'.repeat(1024))).allowed).toBe(true)
  })

  it.each<[string, unknown]>([
    ['a zero cost', { cost: 0 }],
    ['a negative cost', { cost: -1 }],
    ['a tiny negative cost', { cost: -Number.MIN_VALUE }],
    ['a NaN cost', { cost: Number.NaN }],
    ['an infinite cost', { cost: Number.POSITIVE_INFINITY }],
    ['a cost above the limit', { cost: 3.0001 }],
    ['a huge cost', { cost: Number.MAX_VALUE }],
    ['a string cost', { cost: '1' }],
    ['a null cost', { cost: null }],
    ['options that are a number', 2],
    ['options that are null', null],
  ])('refuses %s without touching the store', async (_, options) => {
    const { store, limiter } = setup()
    const error: unknown = await limiter.limit('k', options as never).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(SecRateLimitError)
    expect(error).toMatchObject({ code: 'SEC_RATELIMIT_COST', limiter: 'api' })
    expect(store.calls).toEqual([])
  })

  it('refuses a fractional cost on a sliding log', async () => {
    const store = new FakeStore()
    const limiter = slidingLog({ limit: 5, window: '1m', store })
    await expect(limiter.limit('k', { cost: 1.5 })).rejects.toThrow(
      "Rate limiter 'sl-5-60000': a sliding log counts whole units; got the cost 1.5. Round it, or use tokenBucket() or slidingWindow() for fractional costs.",
    )
    expect((await limiter.limit('k', { cost: 5 })).allowed).toBe(true)
    expect(store.calls).toEqual([{ key: 'sl-5-60000:k', cost: 5 }])
  })

  it('never crashes and never reports a negative remaining, whatever the key and cost', async () => {
    const { store, limiter } = setup({ blockCache: false }, 100)
    const keys = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1200 }),
      fc.string({ unit: 'binary-ascii', minLength: 1000, maxLength: 1100 }),
    )
    const costs = fc.oneof(
      fc.constant(undefined),
      fc.double(),
      fc.double({ min: Number.MIN_VALUE, max: 100, noNaN: true }),
      fc.integer({ min: -5, max: 105 }),
    )
    await fc.assert(
      fc.asyncProperty(keys, costs, async (key, cost) => {
        const before = store.calls.length
        const valid =
          key.length > 0 &&
          key.length <= 1024 &&
          !/\p{Cs}/u.test(key) &&
          (cost === undefined || (cost > 0 && cost <= 100))
        const outcome = await limiter.limit(key, cost === undefined ? undefined : { cost }).then(
          (result) => result,
          (error: unknown) => error,
        )
        if (valid) {
          expect(outcome).toMatchObject({ source: 'store' })
          expect((outcome as RateLimitResult).remaining).toBeGreaterThanOrEqual(0)
          expect(store.calls.length).toBe(before + 1)
          expect(store.calls.at(-1)).toEqual({ key: `api:${key}`, cost: cost ?? 1 })
          store.used.clear()
        } else {
          expect(outcome).toBeInstanceOf(SecRateLimitError)
          expect(store.calls.length).toBe(before)
        }
      }),
      { numRuns: 500 },
    )
  })
})

describe('the block cache', () => {
  it('answers a denied key in-process until its retry time, then asks the store again', async () => {
    const { store, clock, limiter } = setup()
    await takeAll(limiter, 'k', 4)
    expect(store.calls).toHaveLength(4)
    clock.advance(400)
    expect(await limiter.limit('k')).toEqual({
      allowed: false,
      limit: 3,
      remaining: 0,
      reset: 600,
      retryAfter: 600,
      source: 'block-cache',
    })
    clock.advance(599.5)
    expect(await limiter.limit('k')).toMatchObject({ allowed: false, retryAfter: 1, source: 'block-cache' })
    expect(await limiter.peek('k')).toMatchObject({ allowed: false, retryAfter: 1, source: 'block-cache' })
    expect(store.calls).toHaveLength(4)
    clock.advance(0.5)
    store.used.clear()
    expect(await limiter.limit('k')).toEqual(allowed(2))
    expect(store.calls).toHaveLength(5)
  })

  it('blocks only the denied key', async () => {
    const { store, limiter } = setup()
    await takeAll(limiter, 'k', 4)
    expect(await limiter.limit('other')).toEqual(allowed(2))
    expect(store.calls).toHaveLength(5)
  })

  it('sends a smaller cost than the denied one to the store', async () => {
    const { store, limiter } = setup()
    await limiter.limit('k', { cost: 2 })
    expect((await limiter.limit('k', { cost: 2 })).source).toBe('store')
    expect((await limiter.limit('k', { cost: 3 })).source).toBe('block-cache')
    expect(await limiter.limit('k', { cost: 1 })).toEqual(allowed(0))
    expect(store.calls.map((call) => call.cost)).toEqual([2, 2, 1])
  })

  it('blocks after a denied peek', async () => {
    const { store, limiter } = setup()
    await limiter.limit('k', { cost: 3 })
    expect(await limiter.peek('k')).toMatchObject({ allowed: false, source: 'store' })
    expect(await limiter.limit('k')).toMatchObject({ allowed: false, source: 'block-cache' })
    expect(await limiter.limit('k', { cost: 0.5 })).toMatchObject({ source: 'store' })
    expect(store.calls).toHaveLength(3)
  })

  it('is cleared by reset', async () => {
    const { store, limiter } = setup()
    await takeAll(limiter, 'k', 4)
    await limiter.reset('k')
    expect(await limiter.limit('k')).toEqual(allowed(2))
    expect(store.calls).toHaveLength(5)
  })

  it('can be turned off', async () => {
    const { store, limiter } = setup({ blockCache: false })
    const results = await takeAll(limiter, 'k', 6)
    expect(results.map((r) => r.source)).toEqual(['store', 'store', 'store', 'store', 'store', 'store'])
    expect(store.calls).toHaveLength(6)
  })

  it('stays within maxKeys under a flood of denied keys', async () => {
    const { store, limiter } = setup({ blockCache: { maxKeys: 2 } }, 1)
    for (let i = 0; i < 50; i++) await takeAll(limiter, `flood:${i}`, 2)
    expect(store.calls).toHaveLength(100)
    expect((await limiter.limit('flood:49')).source).toBe('block-cache')
    expect((await limiter.limit('flood:48')).source).toBe('block-cache')
    expect((await limiter.limit('flood:0')).source).toBe('store')
  })
})

describe('when the store fails', () => {
  const error = (e: SecurityEvent) => (e.type === 'ratelimit.store-unavailable' ? e.error : undefined)

  it('fails closed by default, with an exact result and one event', async () => {
    const { store, clock, events, limiter } = setup()
    store.mode = 'throw'
    const closed = {
      allowed: false,
      limit: 3,
      remaining: 0,
      reset: 1000,
      retryAfter: 1000,
      source: 'fail-closed',
    }
    expect(await limiter.limit('k')).toEqual(closed)
    expect(await limiter.limit('other')).toEqual(closed)
    expect(await limiter.peek('k')).toEqual(closed)
    expect(events).toEqual([
      {
        type: 'ratelimit.store-unavailable',
        time: clock.time,
        limiter: 'api',
        store: 'fake',
        fallback: 'fail-closed',
        error: store.error,
      },
    ])
  })

  it('fails open when told to, counting nothing', async () => {
    const { store, events, limiter } = setup({ fail: 'open' })
    store.mode = 'reject'
    expect(await limiter.limit('k', { cost: 2 })).toEqual({
      allowed: true,
      limit: 3,
      remaining: 3,
      reset: 0,
      retryAfter: 0,
      source: 'fail-open',
    })
    expect(events.map((e) => [e.type, 'fallback' in e && e.fallback, error(e)])).toEqual([
      ['ratelimit.store-unavailable', 'fail-open', store.error],
    ])
  })

  it('reports the closed retry time as the probe interval', async () => {
    const { store, limiter } = setup({ probeInterval: '5s' })
    store.mode = 'throw'
    expect(await limiter.limit('k')).toMatchObject({ allowed: false, reset: 5000, retryAfter: 5000 })
  })

  it('lets one probe through per probe interval, and recovers once a probe succeeds', async () => {
    const { store, clock, events, limiter } = setup({ probeInterval: 1000 })
    store.mode = 'throw'
    await limiter.limit('k')
    expect(store.calls).toHaveLength(1)
    clock.advance(999)
    await takeAll(limiter, 'k', 5)
    expect(store.calls).toHaveLength(1)
    clock.advance(1)
    expect((await limiter.limit('k')).source).toBe('fail-closed')
    expect(store.calls).toHaveLength(2)
    await takeAll(limiter, 'k', 5)
    expect(store.calls).toHaveLength(2)
    clock.advance(1000)
    store.mode = 'sync'
    expect(await limiter.limit('k')).toEqual(allowed(2))
    expect(await limiter.limit('k')).toEqual(allowed(1))
    expect(store.calls).toHaveLength(4)
    expect(events.map((e) => [e.type, e.time])).toEqual([
      ['ratelimit.store-unavailable', 1_000_000],
      ['ratelimit.store-recovered', 1_002_000],
    ])
  })

  it('decides with the insurance while the store is down, and with the store again after', async () => {
    const insuranceStore = new FakeStore()
    const insurance = slidingWindow({ limit: 2, window: '1m', store: insuranceStore, name: 'api' })
    const { store, clock, events, limiter } = setup({ insurance })
    store.mode = 'reject'
    expect(await limiter.limit('k')).toEqual({
      allowed: true,
      limit: 2,
      remaining: 1,
      reset: 1000,
      retryAfter: 0,
      source: 'insurance',
    })
    expect(await limiter.limit('k')).toMatchObject({ allowed: true, remaining: 0, source: 'insurance' })
    expect(await limiter.limit('k')).toMatchObject({ allowed: false, retryAfter: 1000, source: 'insurance' })
    expect(await limiter.peek('k')).toMatchObject({ allowed: false, source: 'insurance' })
    expect(await limiter.limit('other', { cost: 2 })).toMatchObject({ allowed: true, source: 'insurance' })
    // A cost the insurance's smaller limit can never admit.
    expect(await limiter.limit('other', { cost: 3 })).toMatchObject({ allowed: false, source: 'fail-closed' })
    expect(insuranceStore.calls).toEqual([
      { key: 'api:k', cost: 1 },
      { key: 'api:k', cost: 1 },
      { key: 'api:k', cost: 1 },
      { key: 'api:other', cost: 2 },
    ])
    expect(store.calls).toHaveLength(1)
    clock.advance(1000)
    store.mode = 'sync'
    expect(await limiter.limit('k')).toEqual(allowed(2))
    expect(insuranceStore.calls).toHaveLength(4)
    expect(events.map((e) => 'fallback' in e && e.fallback)).toEqual(['insurance', 'insurance'])
  })

  it('falls back to the fail policy when the insurance fails', async () => {
    const insuranceStore = new FakeStore()
    insuranceStore.mode = 'throw'
    const insurance = slidingWindow({ limit: 3, window: '1m', store: insuranceStore, fail: 'open' })
    const { store, limiter } = setup({ insurance })
    store.mode = 'throw'
    expect(await limiter.limit('k')).toMatchObject({ allowed: true, source: 'fail-open' })
    const broken: RateLimiter = {
      ...insurance,
      limit: () => {
        throw new Error('broken')
      },
    }
    const second = setup({ insurance: broken })
    second.store.mode = 'throw'
    expect(await second.limiter.limit('k')).toMatchObject({ allowed: false, source: 'fail-closed' })
  })

  it('waits for a hanging store, then falls back when it rejects, with one event for all calls', async () => {
    const { store, events, limiter } = setup()
    store.mode = 'hang'
    const calls = [limiter.limit('a'), limiter.limit('b'), limiter.peek('c')]
    expect(store.pending).toHaveLength(3)
    for (const call of store.pending) call.reject(new Error('timeout'))
    const results = await Promise.all(calls)
    expect(results.map((r) => r.source)).toEqual(['fail-closed', 'fail-closed', 'fail-closed'])
    expect(events.map((e) => e.type)).toEqual(['ratelimit.store-unavailable'])
  })

  it('does not end an outage on the late success of a call started before it', async () => {
    const { store, events, limiter } = setup()
    store.mode = 'hang'
    const late = limiter.limit('a')
    store.mode = 'throw'
    await limiter.limit('b')
    store.pending[0]?.resolve({ allowed: true, remaining: 2, reset: 1000, retryAfter: 0 })
    expect(await late).toEqual(allowed(2))
    store.mode = 'sync'
    expect((await limiter.limit('c')).source).toBe('fail-closed')
    expect(events.map((e) => e.type)).toEqual(['ratelimit.store-unavailable'])
  })

  it('treats a store that answers nothing as failing', async () => {
    const { store, limiter } = setup()
    store.decide = () => undefined as never
    expect((await limiter.limit('k')).source).toBe('fail-closed')
  })

  it('keeps deciding when an event sink throws', async () => {
    const { store, limiter } = setup({
      events: () => {
        throw new Error('sink broke')
      },
    })
    store.mode = 'throw'
    expect((await limiter.limit('k')).source).toBe('fail-closed')
  })

  it('answers blocked keys from the block cache while the store is down', async () => {
    const { store, limiter } = setup({ fail: 'open' })
    await takeAll(limiter, 'k', 4)
    store.mode = 'throw'
    expect((await limiter.limit('k')).source).toBe('block-cache')
    expect((await limiter.limit('other')).source).toBe('fail-open')
  })

  it('rejects a reset the store cannot do, after resetting the insurance', async () => {
    const insuranceStore = new FakeStore()
    const insurance = slidingWindow({ limit: 3, window: '1m', store: insuranceStore })
    const { store, limiter } = setup({ insurance })
    store.reset = () => Promise.reject(new Error('store down'))
    await expect(limiter.reset('k')).rejects.toThrow('store down')
    expect(insuranceStore.resets).toEqual(['sw-3-60000:k'])
  })
})

describe('on the default memory store', () => {
  it('decides with the injected clock', async () => {
    const clock = new ManualClock()
    const limiter = tokenBucket({ capacity: 3, refillRate: 1, interval: '1s', clock })
    const result = (remaining: number, reset: number) => ({
      allowed: true,
      limit: 3,
      remaining,
      reset,
      retryAfter: 0,
      source: 'store',
    })
    expect(await takeAll(limiter, 'k', 3)).toEqual([result(2, 1000), result(1, 2000), result(0, 3000)])
    const denied = { allowed: false, limit: 3, remaining: 0, reset: 3000, retryAfter: 1000 }
    expect(await limiter.limit('k')).toEqual({ ...denied, source: 'store' })
    expect(await limiter.limit('k')).toEqual({ ...denied, source: 'block-cache' })
    clock.advance(250)
    expect(await limiter.peek('k')).toEqual({
      ...denied,
      reset: 2750,
      retryAfter: 750,
      source: 'block-cache',
    })
    clock.advance(750)
    expect(await limiter.limit('k')).toEqual(result(0, 3000))
    expect(await limiter.limit('k', { cost: 0.5 })).toMatchObject({ allowed: false, retryAfter: 500 })
    await limiter.reset('k')
    expect(await limiter.peek('k')).toEqual(result(3, 0))
  })

  it('gives each limiter a store of its own', async () => {
    const a = fixedWindow({ limit: 1, window: '1m' })
    const b = fixedWindow({ limit: 1, window: '1m' })
    expect(a.name).toBe(b.name)
    expect((await a.limit('k')).allowed).toBe(true)
    expect((await b.limit('k')).allowed).toBe(true)
    expect((await a.limit('k')).allowed).toBe(false)
  })

  it.each([
    ['slidingWindow', slidingWindow],
    ['fixedWindow', fixedWindow],
    ['slidingLog', slidingLog],
  ])('runs %s on the system clock', async (_, factory) => {
    const limiter = factory({ limit: 2, window: '1h' })
    const results = await takeAll(limiter, 'k', 3)
    expect(results.map((r) => [r.allowed, r.remaining, r.source])).toEqual([
      [true, 1, 'store'],
      [true, 0, 'store'],
      [false, 0, 'store'],
    ])
    // A sliding window can make a caller wait up to one and a half windows (the estimate's weight).
    expect(results[2]?.retryAfter).toBeGreaterThan(0)
    expect(results[2]?.retryAfter).toBeLessThanOrEqual(5_400_000)
  })
})

describe('on a memory store', () => {
  it('answers plain results, each its own object, with every field in JSON', async () => {
    const limiter = tokenBucket({ capacity: 3, refillRate: 1, interval: '1s', clock: new ManualClock() })
    const first = await limiter.limit('k')
    const second = await limiter.limit('k', { cost: 2 })
    expect(Object.getPrototypeOf(first)).toBe(Object.prototype)
    expect(Object.keys(first)).toEqual(['allowed', 'limit', 'remaining', 'reset', 'retryAfter', 'source'])
    expect(JSON.parse(JSON.stringify(first))).toEqual({
      allowed: true,
      limit: 3,
      remaining: 2,
      reset: 1000,
      retryAfter: 0,
      source: 'store',
    })
    expect(second).not.toBe(first)
    expect(first.remaining).toBe(2)
    expect({ ...second }).toEqual({
      allowed: true,
      limit: 3,
      remaining: 0,
      reset: 3000,
      retryAfter: 0,
      source: 'store',
    })
    expect({ ...(await limiter.peek('k')) }).toEqual({
      allowed: false,
      limit: 3,
      remaining: 0,
      reset: 3000,
      retryAfter: 1000,
      source: 'store',
    })
  })

  it('keeps the counts of limiters sharing a store apart by name, and shares them under one name', async () => {
    const store = memoryStore({ clock: new ManualClock() })
    const search = fixedWindow({ limit: 2, window: '1m', name: 'search', store })
    const reports = fixedWindow({ limit: 2, window: '1m', name: 'reports', store })
    await search.limit('k', { cost: 2 })
    expect((await reports.limit('k')).remaining).toBe(1)
    expect((await search.peek('k')).remaining).toBe(0)
    const a = fixedWindow({ limit: 2, window: '1m', store })
    const b = fixedWindow({ limit: 2, window: '1m', store })
    await a.limit('k')
    await b.limit('k')
    expect((await a.limit('k')).allowed).toBe(false)
    expect(store.size).toBe(3)
  })

  it("reaches the same state as the store's own calls on the namespaced key", async () => {
    const store = memoryStore({ clock: new ManualClock() })
    const limiter = slidingWindow({ limit: 5, window: '1m', name: 'api', store, blockCache: false })
    await limiter.limit('203.0.113.7', { cost: 2 })
    expect(store.decide(limiter.policy, 'api:203.0.113.7', 1)).toMatchObject({ allowed: true, remaining: 2 })
    expect((await limiter.peek('203.0.113.7')).remaining).toBe(2)
    store.reset(limiter.policy, 'api:203.0.113.7')
    expect(store.size).toBe(0)
    expect((await limiter.peek('203.0.113.7')).remaining).toBe(5)
    // A key that only looks namespaced, by a name no limiter bound, is kept whole.
    store.decide(limiter.policy, 'other:203.0.113.7', 5)
    store.decide(limiter.policy, ':203.0.113.7', 5)
    expect((await limiter.peek('203.0.113.7')).remaining).toBe(5)
    expect(store.decide(limiter.policy, 'other:203.0.113.7', 0).remaining).toBe(0)
    expect(store.size).toBe(2)
  })

  it.each([
    ['an empty key', ''],
    ['a key of 1025 units', 'k'.repeat(1025)],
    ['a lone surrogate, as a store on UTF-8 would merge it', 'user:\ud800'],
    ['a number', 42],
    ['undefined', undefined],
  ])('refuses %s in limit, peek and reset', async (_, key) => {
    const store = memoryStore()
    const limiter = fixedWindow({ limit: 1, window: '1m', name: 'api', store })
    for (const call of [limiter.limit, limiter.peek, limiter.reset]) {
      await expect(call(key as string)).rejects.toThrow(
        expect.objectContaining({ name: 'SecRateLimitError', code: 'SEC_RATELIMIT_KEY', limiter: 'api' }),
      )
    }
    await expect(limiter.limit('k', { cost: 2 })).rejects.toThrow(
      expect.objectContaining({ code: 'SEC_RATELIMIT_COST' }),
    )
    expect(store.size).toBe(0)
  })

  it('keeps the block cache on its own clock when the store has another', async () => {
    const clock = new ManualClock()
    const storeClock = new ManualClock()
    storeClock.time = 5_000_000
    const limiter = fixedWindow({ limit: 1, window: '1s', store: memoryStore({ clock: storeClock }), clock })
    await limiter.limit('k')
    expect(await limiter.limit('k')).toMatchObject({ allowed: false, retryAfter: 1000, source: 'store' })
    clock.advance(400)
    expect(await limiter.limit('k')).toMatchObject({ allowed: false, retryAfter: 600, source: 'block-cache' })
    expect(await limiter.limit('other')).toMatchObject({ allowed: true, source: 'store' })
    clock.advance(600)
    storeClock.advance(1000)
    expect(await limiter.limit('k')).toMatchObject({ allowed: true, remaining: 0, source: 'store' })
  })

  it('falls back while the store throws, and recovers on a probe, with one event each way', async () => {
    const clock = new ManualClock()
    let broken = false
    const storeClock = {
      now: () => {
        if (broken) throw new Error('clock broke')
        return clock.time
      },
    }
    const events: SecurityEvent[] = []
    const limiter = fixedWindow({
      limit: 2,
      window: '1m',
      store: memoryStore({ clock: storeClock }),
      clock,
      events: (event) => events.push(event),
    })
    await limiter.limit('k', { cost: 2 })
    expect((await limiter.limit('k')).source).toBe('store')
    broken = true
    expect(await limiter.limit('other')).toEqual({
      allowed: false,
      limit: 2,
      remaining: 0,
      reset: 1000,
      retryAfter: 1000,
      source: 'fail-closed',
    })
    expect((await limiter.peek('other')).source).toBe('fail-closed')
    expect((await limiter.limit('k')).source).toBe('block-cache')
    broken = false
    expect((await limiter.limit('other')).source).toBe('fail-closed')
    clock.advance(1000)
    expect(await limiter.limit('other')).toMatchObject({ allowed: true, remaining: 1, source: 'store' })
    expect(await limiter.limit('other')).toMatchObject({ allowed: true, remaining: 0, source: 'store' })
    expect(events.map((event) => [event.type, event.time])).toEqual([
      ['ratelimit.store-unavailable', 1_000_000],
      ['ratelimit.store-recovered', 1_001_000],
    ])
  })
})
