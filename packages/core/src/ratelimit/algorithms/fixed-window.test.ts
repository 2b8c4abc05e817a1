import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { LimitPolicy } from '../limit-policy.js'
import { decideFixedWindow, type FixedWindowState } from './fixed-window.js'

function fixed(limit: number, period: number): LimitPolicy {
  return { algorithm: 'fixed-window', limit, period }
}

function empty(): FixedWindowState {
  return { expires: Number.NEGATIVE_INFINITY, count: 0 }
}

const five = fixed(5, 1000)

/** Unit costs admitted in a row before the first refusal, trying at most `most + 1`. */
function inARow(most: number, decide: () => boolean): number {
  let count = 0
  while (count <= most && decide()) count++
  return count
}

describe('decideFixedWindow', () => {
  it('admits exactly the limit in an aligned window, then denies until it ends', () => {
    const state = empty()
    for (let i = 1; i <= 5; i++) {
      expect(decideFixedWindow(state, 2500, five, 1)).toEqual({
        allowed: true,
        remaining: 5 - i,
        reset: 500,
        retryAfter: 0,
      })
    }
    expect(state).toEqual({ expires: 3000, count: 5 })
    expect(decideFixedWindow(state, 2500, five, 1)).toEqual({
      allowed: false,
      remaining: 0,
      reset: 500,
      retryAfter: 500,
    })
    expect(decideFixedWindow(state, 2999, five, 1)).toEqual({
      allowed: false,
      remaining: 0,
      reset: 1,
      retryAfter: 1,
    })
    expect(state).toEqual({ expires: 3000, count: 5 })
    expect(decideFixedWindow(state, 3000, five, 1)).toEqual({
      allowed: true,
      remaining: 4,
      reset: 1000,
      retryAfter: 0,
    })
    expect(state).toEqual({ expires: 4000, count: 1 })
  })

  it('starts from zero in a later window, however many windows have passed', () => {
    const state = { expires: 3000, count: 5 }
    expect(decideFixedWindow(state, 9_999, five, 0)).toEqual({
      allowed: true,
      remaining: 5,
      reset: 0,
      retryAfter: 0,
    })
    expect(decideFixedWindow(state, 9_999, five, 5)).toEqual({
      allowed: true,
      remaining: 0,
      reset: 1,
      retryAfter: 0,
    })
    expect(state).toEqual({ expires: 10_000, count: 5 })
  })

  it('admits a cost equal to the limit in an empty window only', () => {
    const state = empty()
    expect(decideFixedWindow(state, 0, five, 5)).toEqual({
      allowed: true,
      remaining: 0,
      reset: 1000,
      retryAfter: 0,
    })
    expect(decideFixedWindow(state, 400, five, 5)).toEqual({
      allowed: false,
      remaining: 0,
      reset: 600,
      retryAfter: 600,
    })
  })

  it('refuses a cost larger than what is left, even when one unit would pass', () => {
    const state = { expires: 1000, count: 3 }
    expect(decideFixedWindow(state, 100, five, 3)).toEqual({
      allowed: false,
      remaining: 2,
      reset: 900,
      retryAfter: 900,
    })
    expect(decideFixedWindow(state, 100, five, 2)).toEqual({
      allowed: true,
      remaining: 0,
      reset: 900,
      retryAfter: 0,
    })
  })

  it('peeks without recording, answering for one unit', () => {
    const state = empty()
    expect(decideFixedWindow(state, 100, five, 0)).toEqual({
      allowed: true,
      remaining: 5,
      reset: 0,
      retryAfter: 0,
    })
    expect(state).toEqual(empty())
    const full = { expires: 1000, count: 5 }
    expect(decideFixedWindow(full, 100, five, 0)).toEqual({
      allowed: false,
      remaining: 0,
      reset: 900,
      retryAfter: 900,
    })
    expect(full).toEqual({ expires: 1000, count: 5 })
  })

  it('admits ten costs of 0.1 against a limit of 1, then nothing more', () => {
    const one = fixed(1, 1000)
    const state = empty()
    for (let i = 0; i < 10; i++) expect(decideFixedWindow(state, 0, one, 0.1).allowed).toBe(true)
    expect(state.count).toBe(0.9999999999999999)
    expect(decideFixedWindow(state, 0, one, 0.1)).toEqual({
      allowed: false,
      remaining: 0,
      reset: 1000,
      retryAfter: 1000,
    })
  })

  it('rounds the time left up to whole ms', () => {
    const state = empty()
    expect(decideFixedWindow(state, 2500.25, five, 1)).toEqual({
      allowed: true,
      remaining: 4,
      reset: 500,
      retryAfter: 0,
    })
  })
})

const steps = fc.array(
  fc.record({
    wait: fc.integer({ min: 0, max: 700 }),
    quarters: fc.integer({ min: 0, max: 4 * 20 }),
  }),
  { maxLength: 150 },
)

/** Counts per aligned window, kept for every window. */
class ReferenceWindows {
  readonly counts = new Map<number, number>()
  constructor(
    readonly limit: number,
    readonly period: number,
  ) {}

  decide(now: number, cost: number) {
    const index = Math.floor(now / this.period)
    let count = this.counts.get(index) ?? 0
    const allowed = count + (cost === 0 ? 1 : cost) <= this.limit
    if (allowed && cost > 0) {
      count += cost
      this.counts.set(index, count)
    }
    const left = (index + 1) * this.period - now
    return {
      allowed,
      remaining: Math.floor(this.limit - count),
      reset: count > 0 ? left : 0,
      retryAfter: allowed ? 0 : left,
    }
  }
}

describe('decideFixedWindow properties', () => {
  it('answers as a count per aligned window, never above the limit, with exact waits', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 2000 }),
        steps,
        (limit, period, list) => {
          const policy = fixed(limit, period)
          const reference = new ReferenceWindows(limit, period)
          const state = empty()
          let now = 0
          for (const { wait, quarters } of list) {
            now += wait
            const cost = Math.min(limit, quarters / 4)
            const before = { ...state }
            const decision = decideFixedWindow(state, now, policy, cost)
            expect(decision).toEqual(reference.decide(now, cost))
            expect(decision.remaining).toBeGreaterThanOrEqual(0)
            if (!decision.allowed) {
              const retry = decision.retryAfter
              expect(retry).toBeGreaterThan(0)
              expect(decideFixedWindow({ ...before }, now + retry, policy, cost).allowed).toBe(true)
              expect(decideFixedWindow({ ...before }, now + retry - 1, policy, cost).allowed).toBe(false)
            }
          }
          for (const count of reference.counts.values()) expect(count).toBeLessThanOrEqual(limit)
        },
      ),
    )
  })

  it('admits a refused cost at now + retryAfter on an epoch-sized clock', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.double({ min: 1.6e12, max: 2e12, noNaN: true }),
        fc.array(fc.double({ min: 0, max: 0.4, noNaN: true }), { minLength: 1, maxLength: 20 }),
        (limit, period, start, gaps) => {
          const policy = fixed(limit, period)
          const state = empty()
          let now = start
          for (const gap of gaps) {
            now += gap * period
            const before = { ...state }
            const cost = Math.ceil(limit / 3)
            const decision = decideFixedWindow(state, now, policy, cost)
            if (!decision.allowed) {
              expect(decision.retryAfter).toBeGreaterThan(0)
              expect(decideFixedWindow({ ...before }, now + decision.retryAfter, policy, cost).allowed).toBe(
                true,
              )
            }
          }
        },
      ),
    )
  })

  it('refills exactly: each new window admits the whole limit again', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 0, max: 1_000_000_000 }),
        (limit, period, now) => {
          const policy = fixed(limit, period)
          const state = empty()
          expect(inARow(limit, () => decideFixedWindow(state, now, policy, 1).allowed)).toBe(limit)
          const denied = decideFixedWindow(state, now, policy, 1)
          const next = now + denied.retryAfter
          expect(inARow(limit, () => decideFixedWindow(state, next, policy, 1).allowed)).toBe(limit)
        },
      ),
    )
  })
})
