import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { LimitPolicy } from '../limit-policy.js'
import { decideTokenBucket, type TokenBucketState } from './token-bucket.js'

function bucket(limit: number, period: number): LimitPolicy {
  return { algorithm: 'token-bucket', limit, period }
}

function empty(): TokenBucketState {
  return { at: Number.NEGATIVE_INFINITY, debt: 0 }
}

// 10 units, one every 100 ms.
const ten = bucket(10, 1000)

/** Unit costs admitted in a row before the first refusal, trying at most `most + 1`. */
function inARow(most: number, decide: () => boolean): number {
  let count = 0
  while (count <= most && decide()) count++
  return count
}

describe('decideTokenBucket', () => {
  it('admits exactly the capacity at once, then denies with the exact wait', () => {
    const state = empty()
    for (let i = 1; i <= 10; i++) {
      expect(decideTokenBucket(state, 5000, ten, 1)).toEqual({
        allowed: true,
        remaining: 10 - i,
        reset: i * 100,
        retryAfter: 0,
      })
    }
    expect(state).toEqual({ at: 5000, debt: 1000 })
    expect(decideTokenBucket(state, 5000, ten, 1)).toEqual({
      allowed: false,
      remaining: 0,
      reset: 1000,
      retryAfter: 100,
    })
    expect(state).toEqual({ at: 5000, debt: 1000 })
  })

  it('refills one unit per period / limit ms', () => {
    const state = { at: 5000, debt: 1000 }
    expect(decideTokenBucket(state, 5099, ten, 1)).toMatchObject({ allowed: false, retryAfter: 1 })
    expect(decideTokenBucket(state, 5100, ten, 1)).toEqual({
      allowed: true,
      remaining: 0,
      reset: 1000,
      retryAfter: 0,
    })
    expect(decideTokenBucket(state, 5100, ten, 1)).toMatchObject({ allowed: false, retryAfter: 100 })
    // 7.5 units used at 5350: two more fit, the third would need 50 ms.
    expect(decideTokenBucket(state, 5350, ten, 1)).toEqual({
      allowed: true,
      remaining: 1,
      reset: 850,
      retryAfter: 0,
    })
    expect(decideTokenBucket(state, 5350, ten, 1)).toEqual({
      allowed: true,
      remaining: 0,
      reset: 950,
      retryAfter: 0,
    })
    expect(decideTokenBucket(state, 5350, ten, 1)).toEqual({
      allowed: false,
      remaining: 0,
      reset: 950,
      retryAfter: 50,
    })
  })

  it('is full again once the theoretical arrival time has passed, and never stores credit', () => {
    const state = { at: 5000, debt: 1000 }
    expect(decideTokenBucket(state, 60_000, ten, 0)).toEqual({
      allowed: true,
      remaining: 10,
      reset: 0,
      retryAfter: 0,
    })
    expect(decideTokenBucket(state, 60_000, ten, 10)).toEqual({
      allowed: true,
      remaining: 0,
      reset: 1000,
      retryAfter: 0,
    })
    expect(state).toEqual({ at: 60_000, debt: 1000 })
  })

  it('admits a cost equal to the capacity on a full bucket only', () => {
    const state = empty()
    expect(decideTokenBucket(state, 0, ten, 10)).toEqual({
      allowed: true,
      remaining: 0,
      reset: 1000,
      retryAfter: 0,
    })
    expect(decideTokenBucket(state, 100, ten, 10)).toEqual({
      allowed: false,
      remaining: 1,
      reset: 900,
      retryAfter: 900,
    })
    expect(decideTokenBucket(state, 1000, ten, 10).allowed).toBe(true)
  })

  it('peeks without recording, answering for one unit', () => {
    const state = { at: 0, debt: 900 }
    for (let i = 0; i < 3; i++) {
      expect(decideTokenBucket(state, 0, ten, 0)).toEqual({
        allowed: true,
        remaining: 1,
        reset: 900,
        retryAfter: 0,
      })
    }
    expect(state).toEqual({ at: 0, debt: 900 })
    const full = { at: 0, debt: 1000 }
    expect(decideTokenBucket(full, 0, ten, 0)).toEqual({
      allowed: false,
      remaining: 0,
      reset: 1000,
      retryAfter: 100,
    })
    expect(full).toEqual({ at: 0, debt: 1000 })
  })

  it('admits ten costs of 0.1 on a bucket of 1, then nothing more', () => {
    const one = bucket(1, 1)
    const state = empty()
    for (let i = 0; i < 10; i++) expect(decideTokenBucket(state, 0, one, 0.1).allowed).toBe(true)
    // The float sum falls short of 1: only the tolerance keeps the tenth cost from being refused.
    expect(state.debt).toBe(0.9999999999999999)
    expect(decideTokenBucket(state, 0, one, 0)).toEqual({
      allowed: false,
      remaining: 0,
      reset: 1,
      retryAfter: 1,
    })
    expect(decideTokenBucket(state, 0, one, 0.1)).toMatchObject({
      allowed: false,
      remaining: 0,
      retryAfter: 1,
    })
  })

  it('admits whole bursts on an epoch-sized clock, whatever the rate', () => {
    const now = 1_751_234_567_890.125
    for (const [limit, period] of [
      [7, 1000],
      [60, 1000],
      [99, 1000],
      [9, 60_000],
      [5000, 1000],
    ] as const) {
      const policy = bucket(limit, period)
      const state = empty()
      expect(inARow(limit, () => decideTokenBucket(state, now, policy, 1).allowed)).toBe(limit)
      expect(decideTokenBucket(state, now, policy, 0)).toEqual({
        allowed: false,
        remaining: 0,
        reset: period,
        retryAfter: Math.ceil(period / limit),
      })
      const later = now + period
      expect(inARow(limit, () => decideTokenBucket(state, later, policy, 1).allowed)).toBe(limit)
    }
  })

  it('rounds fractional waits up to whole ms', () => {
    // 3 units per 1000 ms: one every 333.33 ms.
    const three = bucket(3, 1000)
    const state = empty()
    expect(decideTokenBucket(state, 0, three, 1)).toEqual({
      allowed: true,
      remaining: 2,
      reset: 334,
      retryAfter: 0,
    })
    decideTokenBucket(state, 0, three, 2)
    expect(decideTokenBucket(state, 0, three, 1)).toEqual({
      allowed: false,
      remaining: 0,
      reset: 1000,
      retryAfter: 334,
    })
    expect(decideTokenBucket(state, 334, three, 1).allowed).toBe(true)
  })
})

/** Costs in quarters and a power-of-two ms per unit keep every float operation exact. */
const exactBucket = fc.record({
  limit: fc.integer({ min: 1, max: 20 }),
  interval: fc.constantFrom(1, 2, 4, 8, 16, 64, 256, 1024),
})

function exactSteps(limit: number, interval: number) {
  return fc.array(
    fc.record({
      wait: fc.integer({ min: 0, max: 3 * limit * interval }),
      cost: fc.integer({ min: 0, max: 4 * limit }).map((quarters) => quarters / 4),
    }),
    { maxLength: 120 },
  )
}

/** The textbook bucket: a level of tokens that refills continuously up to the capacity. */
class ReferenceBucket {
  tokens: number
  at = 0
  constructor(
    readonly limit: number,
    readonly interval: number,
  ) {
    this.tokens = limit
  }

  decide(now: number, cost: number) {
    this.tokens = Math.min(this.limit, this.tokens + (now - this.at) / this.interval)
    this.at = now
    const want = cost === 0 ? 1 : cost
    const allowed = want <= this.tokens
    if (allowed) this.tokens -= cost
    return {
      allowed,
      remaining: Math.floor(this.tokens),
      reset: Math.ceil((this.limit - this.tokens) * this.interval),
      retryAfter: allowed ? 0 : Math.ceil((want - this.tokens) * this.interval),
    }
  }
}

describe('decideTokenBucket properties', () => {
  it('answers exactly as a continuously refilled bucket, and its waits are exact', () => {
    fc.assert(
      fc.property(
        exactBucket.chain(({ limit, interval }) =>
          fc.tuple(fc.constant({ limit, interval }), exactSteps(limit, interval)),
        ),
        ([{ limit, interval }, steps]) => {
          const policy = bucket(limit, limit * interval)
          const reference = new ReferenceBucket(limit, interval)
          const state = empty()
          let now = 1_000_000
          for (const { wait, cost } of steps) {
            now += wait
            const before = { ...state }
            const decision = decideTokenBucket(state, now, policy, cost)
            expect(decision).toEqual(reference.decide(now, cost))
            expect(decision.remaining).toBeGreaterThanOrEqual(0)
            if (!decision.allowed) {
              const retry = decision.retryAfter
              expect(retry).toBeGreaterThan(0)
              expect(decideTokenBucket({ ...before }, now + retry, policy, cost).allowed).toBe(true)
              expect(decideTokenBucket({ ...before }, now + retry - 1, policy, cost).allowed).toBe(false)
            }
          }
        },
      ),
    )
  })

  it('never admits more than the capacity plus the refill over any interval', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: 100_000 }),
        fc.array(
          fc.record({ wait: fc.integer({ min: 0, max: 500 }), tenths: fc.integer({ min: 0, max: 500 }) }),
          {
            maxLength: 150,
          },
        ),
        (limit, period, steps) => {
          const policy = bucket(limit, period)
          const interval = period / limit
          const state = empty()
          const admitted: { at: number; cost: number }[] = []
          let now = 0
          for (const { wait, tenths } of steps) {
            now += wait
            const cost = Math.min(limit, tenths / 10)
            const decision = decideTokenBucket(state, now, policy, cost)
            expect(decision.remaining).toBeGreaterThanOrEqual(0)
            expect(decision.reset).toBeGreaterThanOrEqual(0)
            expect(decision.retryAfter).toBeGreaterThanOrEqual(0)
            if (decision.allowed && cost > 0) admitted.push({ at: now, cost })
          }
          for (let i = 0; i < admitted.length; i++) {
            let sum = 0
            for (let j = i; j < admitted.length; j++) {
              const last = admitted[j] as { at: number; cost: number }
              sum += last.cost
              const span = last.at - (admitted[i] as { at: number }).at
              expect(sum).toBeLessThanOrEqual(limit + span / interval + 1e-6 * limit)
            }
          }
        },
      ),
    )
  })

  it('refills exactly: after k intervals on an empty bucket, exactly k units are admitted', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 0, max: 10_000_000 }),
        (limit, period, wanted, start) => {
          const k = wanted % (limit + 1)
          const policy = bucket(limit, period)
          const state = empty()
          expect(decideTokenBucket(state, start, policy, limit).allowed).toBe(true)
          const later = start + k * (period / limit)
          expect(inARow(limit, () => decideTokenBucket(state, later, policy, 1).allowed)).toBe(k)
        },
      ),
    )
  })

  it('admits exactly the capacity in a burst, at any clock magnitude and rate', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 1, max: 100_000_000 }),
        fc.double({ min: 0, max: 4e12, noNaN: true }),
        (limit, period, now) => {
          const state = empty()
          expect(inARow(limit, () => decideTokenBucket(state, now, bucket(limit, period), 1).allowed)).toBe(
            limit,
          )
        },
      ),
    )
  })

  it('admits a denied cost once its retryAfter has passed, whatever the parameters', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 0, max: 10_000_000 }),
        (limit, period, usedShare, costShare, now) => {
          const policy = bucket(limit, period)
          const cost = Math.max(costShare * limit, 1e-3)
          const debt = usedShare * period
          const decision = decideTokenBucket({ at: now, debt }, now, policy, cost)
          expect(decision.remaining).toBeGreaterThanOrEqual(0)
          if (!decision.allowed) {
            expect(
              decideTokenBucket({ at: now, debt }, now + decision.retryAfter, policy, cost).allowed,
            ).toBe(true)
          }
        },
      ),
    )
  })
})
