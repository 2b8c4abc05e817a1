import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { LimitPolicy } from '../limit-policy.js'
import { decideSlidingWindow, type SlidingWindowState } from './sliding-window.js'

function sliding(limit: number, period: number): LimitPolicy {
  return { algorithm: 'sliding-window', limit, period }
}

function empty(): SlidingWindowState {
  return { expires: Number.NEGATIVE_INFINITY, previous: 0, current: 0 }
}

const ten = sliding(10, 1000)

/** Unit costs admitted in a row before the first refusal, trying at most `most + 1`. */
function inARow(most: number, decide: () => boolean): number {
  let count = 0
  while (count <= most && decide()) count++
  return count
}

describe('decideSlidingWindow', () => {
  it('admits exactly the limit, then waits for the previous count to weigh little enough', () => {
    const state = empty()
    for (let i = 1; i <= 10; i++) {
      expect(decideSlidingWindow(state, 500, ten, 1)).toEqual({
        allowed: true,
        remaining: 10 - i,
        reset: 1500,
        retryAfter: 0,
      })
    }
    expect(state).toEqual({ expires: 2000, previous: 0, current: 10 })
    // Next window: the 10 weigh (2000 - t) / 1000, so one unit fits from t = 1100.
    expect(decideSlidingWindow(state, 500, ten, 1)).toEqual({
      allowed: false,
      remaining: 0,
      reset: 1500,
      retryAfter: 600,
    })
    expect(decideSlidingWindow(state, 1099, ten, 1)).toEqual({
      allowed: false,
      remaining: 0,
      reset: 901,
      retryAfter: 1,
    })
    expect(decideSlidingWindow(state, 1100, ten, 1)).toEqual({
      allowed: true,
      remaining: 0,
      reset: 1900,
      retryAfter: 0,
    })
    expect(state).toEqual({ expires: 3000, previous: 10, current: 1 })
  })

  it('waits inside the current window when the current count leaves room', () => {
    const state = { expires: 2000, previous: 0, current: 10 }
    // At 1500 the previous 10 weigh 5: five more fit.
    for (let i = 0; i < 5; i++) expect(decideSlidingWindow(state, 1500, ten, 1).allowed).toBe(true)
    expect(state).toEqual({ expires: 3000, previous: 10, current: 5 })
    // The sixth needs the previous count to weigh 4: at 1600.
    expect(decideSlidingWindow(state, 1500, ten, 1)).toEqual({
      allowed: false,
      remaining: 0,
      reset: 1500,
      retryAfter: 100,
    })
    expect(decideSlidingWindow(state, 1600, ten, 1)).toMatchObject({ allowed: true, remaining: 0 })
  })

  it('reports the reset of a previous count alone, and forgets everything two windows later', () => {
    const state = { expires: 2000, previous: 0, current: 10 }
    expect(decideSlidingWindow(state, 1500, ten, 0)).toEqual({
      allowed: true,
      remaining: 5,
      reset: 500,
      retryAfter: 0,
    })
    expect(decideSlidingWindow(state, 2000, ten, 0)).toEqual({
      allowed: true,
      remaining: 10,
      reset: 0,
      retryAfter: 0,
    })
    expect(state).toEqual({ expires: 2000, previous: 0, current: 10 })
  })

  it('peeks without recording, answering for one unit', () => {
    const state = { expires: 2000, previous: 0, current: 10 }
    expect(decideSlidingWindow(state, 999, ten, 0)).toEqual({
      allowed: false,
      remaining: 0,
      reset: 1001,
      retryAfter: 101,
    })
    expect(state).toEqual({ expires: 2000, previous: 0, current: 10 })
  })

  it('admits a cost equal to the limit in a quiet window only', () => {
    const state = empty()
    expect(decideSlidingWindow(state, 0, ten, 10)).toEqual({
      allowed: true,
      remaining: 0,
      reset: 2000,
      retryAfter: 0,
    })
    expect(decideSlidingWindow(state, 1000, ten, 10)).toEqual({
      allowed: false,
      remaining: 0,
      reset: 1000,
      retryAfter: 1000,
    })
    expect(decideSlidingWindow(state, 2000, ten, 10).allowed).toBe(true)
  })

  it('admits ten costs of 0.1 against a limit of 1, then nothing more', () => {
    const one = sliding(1, 1000)
    const state = empty()
    for (let i = 0; i < 10; i++) expect(decideSlidingWindow(state, 0, one, 0.1).allowed).toBe(true)
    expect(state.current).toBe(0.9999999999999999)
    expect(decideSlidingWindow(state, 0, one, 0.1)).toMatchObject({ allowed: false, remaining: 0 })
  })

  it('rounds a wait that is a whole ms to that ms, not the next', () => {
    const policy = sliding(3, 933)
    const state = empty()
    decideSlidingWindow(state, 610, policy, 3)
    // Exactly 511 ms: (933 + 933 / 3) - 733; computed naively it comes out at 511.00000000000006.
    expect(decideSlidingWindow(state, 733, policy, 0)).toEqual({
      allowed: false,
      remaining: 0,
      reset: 1133,
      retryAfter: 511,
    })
    expect(decideSlidingWindow({ ...state }, 1244, policy, 1).allowed).toBe(true)
    expect(decideSlidingWindow({ ...state }, 1243, policy, 1).allowed).toBe(false)
  })

  it('recognizes the previous window exactly when the period is not an integer', () => {
    const third = sliding(3, 1000 / 3)
    const state = empty()
    let now = 0
    for (let window = 0; window < 300; window++) {
      now = window * (1000 / 3) + 100
      decideSlidingWindow(state, now, third, 1)
      expect(state.previous).toBe(window === 0 ? 0 : 1)
      expect(state.current).toBe(1)
    }
  })
})

interface Admission {
  readonly at: number
  readonly cost: number
}

/** Counts per aligned window, and the weighted estimate computed from them. */
class ReferenceWeighted {
  readonly counts = new Map<number, number>()
  constructor(
    readonly limit: number,
    readonly period: number,
  ) {}

  estimate(now: number): { estimate: number; previous: number; current: number } {
    const index = Math.floor(now / this.period)
    const previous = this.counts.get(index - 1) ?? 0
    const current = this.counts.get(index) ?? 0
    const weight = (index * this.period + this.period - now) / this.period
    return { estimate: previous * weight + current, previous, current }
  }

  record(now: number, cost: number): void {
    const index = Math.floor(now / this.period)
    this.counts.set(index, (this.counts.get(index) ?? 0) + cost)
  }
}

function sumBetween(admitted: readonly Admission[], from: number, to: number): number {
  let sum = 0
  for (const { at, cost } of admitted) if (at >= from && at < to) sum += cost
  return sum
}

const steps = fc.array(
  fc.record({
    wait: fc.integer({ min: 0, max: 400 }),
    quarters: fc.integer({ min: 0, max: 4 * 20 }),
  }),
  { maxLength: 150 },
)

describe('decideSlidingWindow properties', () => {
  it('admits by the weighted estimate, never above the limit, with exact waits', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 1000 }),
        steps,
        (limit, period, list) => {
          const policy = sliding(limit, period)
          const eps = 1e-9 * limit
          const reference = new ReferenceWeighted(limit, period)
          const state = empty()
          let now = 0
          for (const { wait, quarters } of list) {
            now += wait
            const cost = Math.min(limit, quarters / 4)
            const want = cost === 0 ? 1 : cost
            const before = { ...state }
            const { estimate } = reference.estimate(now)
            const decision = decideSlidingWindow(state, now, policy, cost)
            expect(decision.allowed).toBe(estimate + want <= limit + eps)
            expect(decision.remaining).toBeGreaterThanOrEqual(0)
            if (decision.allowed && cost > 0) {
              reference.record(now, cost)
              expect(estimate + cost).toBeLessThanOrEqual(limit + eps)
            }
            expect(decision.remaining).toBe(
              Math.max(0, Math.floor(limit - reference.estimate(now).estimate + eps)),
            )
            if (!decision.allowed) {
              const retry = decision.retryAfter
              expect(retry).toBeGreaterThan(0)
              expect(decideSlidingWindow({ ...before }, now + retry, policy, cost).allowed).toBe(true)
              const early = decideSlidingWindow({ ...before }, now + retry - 1, policy, cost)
              // Refused a ms earlier, unless that ms is already within the tolerance of the limit.
              if (early.allowed)
                expect(reference.estimate(now + retry - 1).estimate + want).toBeGreaterThan(limit)
            }
          }
          for (const count of reference.counts.values()) expect(count).toBeLessThanOrEqual(limit + eps)
        },
      ),
    )
  })

  it('admits at most L + p * x / P in any window of length P (so always less than 2L)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 1000 }),
        steps,
        (limit, period, list) => {
          const policy = sliding(limit, period)
          const eps = 1e-9 * limit
          const state = empty()
          const admitted: Admission[] = []
          const perWindow = new Map<number, number>()
          let now = 0
          for (const { wait, quarters } of list) {
            now += wait
            const cost = Math.min(limit, quarters / 4)
            if (decideSlidingWindow(state, now, policy, cost).allowed && cost > 0) {
              admitted.push({ at: now, cost })
              const index = Math.floor(now / period)
              perWindow.set(index, (perWindow.get(index) ?? 0) + cost)
            }
          }
          // The most admitted in a window of length P is reached by a window starting at an admission.
          for (const { at } of admitted) {
            const sum = sumBetween(admitted, at, at + period)
            const boundary = Math.ceil(at / period) * period
            const x = at + period - boundary
            const p = x === period ? 0 : (perWindow.get(boundary / period - 1) ?? 0)
            expect(sum).toBeLessThanOrEqual(limit + (p * x) / period + 2 * eps)
            expect(sum).toBeLessThan(2 * limit)
          }
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
          const policy = sliding(limit, period)
          const state = empty()
          let now = start
          for (const gap of gaps) {
            now += gap * period
            const before = { ...state }
            const cost = Math.ceil(limit / 3)
            const decision = decideSlidingWindow(state, now, policy, cost)
            if (!decision.allowed) {
              expect(decision.retryAfter).toBeGreaterThan(0)
              expect(
                decideSlidingWindow({ ...before }, now + decision.retryAfter, policy, cost).allowed,
              ).toBe(true)
            }
          }
        },
      ),
    )
  })

  it('refills exactly: j ms into the window after a full one, floor(L * j / P) units are admitted', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 0, max: 1_000_000_000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (limit, period, now, share) => {
          const policy = sliding(limit, period)
          const state = empty()
          expect(inARow(limit, () => decideSlidingWindow(state, now, policy, 1).allowed)).toBe(limit)
          const j = Math.floor(share * period)
          const later = Math.floor(now / period) * period + period + j
          const expected = Math.floor((limit * j) / period + 1e-9 * limit)
          expect(inARow(limit, () => decideSlidingWindow(state, later, policy, 1).allowed)).toBe(expected)
        },
      ),
    )
  })
})
