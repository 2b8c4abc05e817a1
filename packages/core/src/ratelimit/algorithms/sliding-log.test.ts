import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { LimitPolicy } from '../limit-policy.js'
import { decideSlidingLog, emptySlidingLog, type SlidingLogState } from './sliding-log.js'

function log(limit: number, period: number): LimitPolicy {
  return { algorithm: 'sliding-log', limit, period }
}

function live(state: SlidingLogState): number[] {
  return state.entries.slice(state.head)
}

function copy(state: SlidingLogState): SlidingLogState {
  return { entries: [...state.entries], head: state.head, used: state.used }
}

const three = log(3, 1000)

/** Unit costs admitted in a row before the first refusal, trying at most `most + 1`. */
function inARow(most: number, decide: () => boolean): number {
  let count = 0
  while (count <= most && decide()) count++
  return count
}

describe('decideSlidingLog', () => {
  it('admits exactly the limit in any window, and waits for the oldest entry to leave', () => {
    const state = emptySlidingLog()
    expect(decideSlidingLog(state, 0, three, 1)).toEqual({
      allowed: true,
      remaining: 2,
      reset: 1000,
      retryAfter: 0,
    })
    expect(decideSlidingLog(state, 100, three, 1)).toEqual({
      allowed: true,
      remaining: 1,
      reset: 1000,
      retryAfter: 0,
    })
    expect(decideSlidingLog(state, 200, three, 1)).toEqual({
      allowed: true,
      remaining: 0,
      reset: 1000,
      retryAfter: 0,
    })
    expect(decideSlidingLog(state, 300, three, 1)).toEqual({
      allowed: false,
      remaining: 0,
      reset: 900,
      retryAfter: 700,
    })
    expect(decideSlidingLog(state, 999, three, 1)).toEqual({
      allowed: false,
      remaining: 0,
      reset: 201,
      retryAfter: 1,
    })
    expect(live(state)).toEqual([0, 1, 100, 1, 200, 1])
    expect(decideSlidingLog(state, 1000, three, 1)).toEqual({
      allowed: true,
      remaining: 0,
      reset: 1000,
      retryAfter: 0,
    })
    expect(live(state)).toEqual([100, 1, 200, 1, 1000, 1])
  })

  it('frees as many old entries as a larger cost needs', () => {
    const state = emptySlidingLog()
    decideSlidingLog(state, 0, three, 1)
    decideSlidingLog(state, 100, three, 1)
    decideSlidingLog(state, 200, three, 1)
    expect(decideSlidingLog(state, 300, three, 2)).toEqual({
      allowed: false,
      remaining: 0,
      reset: 900,
      retryAfter: 800,
    })
    expect(decideSlidingLog(state, 300, three, 3)).toMatchObject({ allowed: false, retryAfter: 900 })
    expect(decideSlidingLog(state, 1100, three, 2)).toMatchObject({ allowed: true, remaining: 0 })
  })

  it('merges admissions at the same ms into one entry', () => {
    const state = emptySlidingLog()
    decideSlidingLog(state, 5, three, 1)
    decideSlidingLog(state, 5, three, 2)
    expect(live(state)).toEqual([5, 3])
    expect(state.used).toBe(3)
  })

  it('peeks without recording, answering for one unit', () => {
    const state = emptySlidingLog()
    expect(decideSlidingLog(state, 0, three, 0)).toEqual({
      allowed: true,
      remaining: 3,
      reset: 0,
      retryAfter: 0,
    })
    expect(live(state)).toEqual([])
    decideSlidingLog(state, 0, three, 3)
    expect(decideSlidingLog(state, 10, three, 0)).toEqual({
      allowed: false,
      remaining: 0,
      reset: 990,
      retryAfter: 990,
    })
    expect(live(state)).toEqual([0, 3])
  })

  it('forgets everything once the newest entry is a period old', () => {
    const state = emptySlidingLog()
    decideSlidingLog(state, 0, three, 2)
    decideSlidingLog(state, 10, three, 1)
    expect(decideSlidingLog(state, 1010, three, 0)).toEqual({
      allowed: true,
      remaining: 3,
      reset: 0,
      retryAfter: 0,
    })
    expect(state).toEqual({ entries: [], head: 0, used: 0 })
  })

  it('stays exact on an epoch-sized clock', () => {
    const policy = log(2, 1000)
    const state = emptySlidingLog()
    const start = 1_751_234_567_890.125
    decideSlidingLog(state, start, policy, 2)
    const denied = decideSlidingLog(state, start + 1, policy, 1)
    expect(denied).toMatchObject({ allowed: false, retryAfter: 999 })
    expect(decideSlidingLog(copy(state), start + 999.5, policy, 1).allowed).toBe(false)
    expect(decideSlidingLog(copy(state), start + 1000, policy, 1).allowed).toBe(true)
  })

  it('compacts a long log without losing entries', () => {
    const big = log(1000, 10_000)
    const state = emptySlidingLog()
    for (let t = 0; t < 30_000; t += 10) expect(decideSlidingLog(state, t, big, 1).allowed).toBe(true)
    expect(state.used).toBe(1000)
    expect(state.entries.length).toBeLessThanOrEqual(2 * 2 * 1000)
    expect(live(state).filter((_, i) => i % 2 === 0)).toEqual(
      Array.from({ length: 1000 }, (_, i) => 20_000 + i * 10),
    )
    expect(decideSlidingLog(state, 29_995, big, 1)).toMatchObject({ allowed: false, retryAfter: 5 })
  })
})

interface Admission {
  readonly at: number
  readonly cost: number
}

/** Every admission ever made; the live ones are those less than a period old. */
class ReferenceLog {
  readonly admitted: Admission[] = []
  constructor(
    readonly limit: number,
    readonly period: number,
  ) {}

  decide(now: number, cost: number) {
    const alive = this.admitted.filter(({ at }) => now - at < this.period)
    const used = alive.reduce((sum, { cost }) => sum + cost, 0)
    const want = cost === 0 ? 1 : cost
    const allowed = used + want <= this.limit
    if (allowed && cost > 0) {
      this.admitted.push({ at: now, cost })
      alive.push({ at: now, cost })
    }
    // The earliest time at which the entries still alive then leave room for the cost.
    let retryAfter = 0
    if (!allowed) {
      retryAfter = Number.POSITIVE_INFINITY
      for (const { at } of alive) {
        const then = at + this.period
        const still = alive.filter((entry) => then - entry.at < this.period)
        if (still.reduce((sum, entry) => sum + entry.cost, 0) + want <= this.limit)
          retryAfter = Math.min(retryAfter, then - now)
      }
    }
    const total = alive.reduce((sum, entry) => sum + entry.cost, 0)
    const newest = alive.length === 0 ? undefined : Math.max(...alive.map(({ at }) => at))
    return {
      allowed,
      remaining: this.limit - total,
      reset: newest === undefined ? 0 : newest + this.period - now,
      retryAfter,
    }
  }
}

describe('decideSlidingLog properties', () => {
  it('answers exactly as the full history, never more than the limit in any window of length P', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 500 }),
        fc.array(
          fc.record({ wait: fc.integer({ min: 0, max: 200 }), cost: fc.integer({ min: 0, max: 12 }) }),
          {
            maxLength: 150,
          },
        ),
        (limit, period, steps) => {
          const policy = log(limit, period)
          const reference = new ReferenceLog(limit, period)
          const state = emptySlidingLog()
          let now = 0
          for (const step of steps) {
            now += step.wait
            const cost = Math.min(limit, step.cost)
            const before = copy(state)
            const decision = decideSlidingLog(state, now, policy, cost)
            expect(decision).toEqual(reference.decide(now, cost))
            expect(decision.remaining).toBeGreaterThanOrEqual(0)
            if (!decision.allowed) {
              const retry = decision.retryAfter
              expect(decideSlidingLog(copy(before), now + retry, policy, cost).allowed).toBe(true)
              expect(decideSlidingLog(copy(before), now + retry - 1, policy, cost).allowed).toBe(false)
            }
          }
          for (const { at } of reference.admitted) {
            let inWindow = 0
            for (const other of reference.admitted)
              if (other.at > at - period && other.at <= at) inWindow += other.cost
            expect(inWindow).toBeLessThanOrEqual(limit)
          }
        },
      ),
    )
  })

  it('refills exactly: a period after each admission, its cost is free again', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: 100_000 }),
        fc.integer({ min: 0, max: 1_000_000_000 }),
        fc.integer({ min: 0, max: 100 }),
        (limit, period, start, spread) => {
          const policy = log(limit, period)
          const state = emptySlidingLog()
          const width = Math.min(spread, period - 1)
          const times = Array.from({ length: limit }, (_, i) => start + Math.floor((i * width) / limit))
          expect(times.every((t) => decideSlidingLog(state, t, policy, 1).allowed)).toBe(true)
          const last = times[times.length - 1] as number
          expect(decideSlidingLog(state, last, policy, 1).allowed).toBe(false)
          const k = Math.ceil(limit / 2)
          const later = (times[k - 1] as number) + period
          const freed = times.filter((t) => t <= later - period).length
          expect(inARow(limit, () => decideSlidingLog(state, later, policy, 1).allowed)).toBe(freed)
        },
      ),
    )
  })
})
