import type { LimitDecision, LimitPolicy } from '../limit-policy.js'
import { type DecisionRecord, decisionRecord } from './decision-record.js'
import { toleranceRatio } from './tolerance.js'

/** A weighted two-window counter: the counts of the current aligned window and the one before. */
export interface SlidingWindowState {
  /**
   * `start + 2 * period` of the window whose count is `current` (ms on the store's clock): it names
   * the window and is the time at which the key carries no information any more. `-Infinity` for a
   * key without state.
   */
  expires: number
  /** Cost admitted in the window before. */
  previous: number
  /** Cost admitted in the window named by `expires`. */
  current: number
}

/**
 * Decides `cost` units at `now` and leaves the new state in `state` (unchanged unless the cost was
 * admitted and is above 0). The estimate of the last `period` ms is the previous window's count
 * weighted by the share of it still inside a sliding window, plus the current count. A cost of 0 is
 * a peek: it records nothing and answers `allowed` and `retryAfter` as if it asked for one unit.
 * The answer is written into `answer` (a new record unless one is given) and returned.
 */
export function decideSlidingWindow(
  state: SlidingWindowState,
  now: number,
  policy: LimitPolicy,
  cost: number,
  answer: DecisionRecord = decisionRecord(),
): LimitDecision {
  const limit = policy.limit
  const period = policy.period
  const eps = toleranceRatio * limit
  const want = cost === 0 ? 1 : cost
  const index = Math.floor(now / period)
  const start = index * period
  const expires = start + 2 * period
  // The previous window's mark is computed from its own index, exactly as it was when stored, so
  // the comparison is exact even when the period is not an integer.
  const stored = state.expires
  let previous = 0
  let current = 0
  if (stored === expires) {
    previous = state.previous
    current = state.current
  } else if (stored === (index - 1) * period + 2 * period) {
    previous = state.current
  }
  // Clock readings are large (about 1.7e12 ms): subtracting two of them is exact, adding a period
  // to one rounds, so times are taken relative to now first.
  const offset = start - now
  const estimate = previous * ((offset + period) / period) + current
  const allowed = estimate + want <= limit + eps
  let used = estimate
  if (allowed && cost > 0) {
    current += cost
    used = estimate + cost
    state.expires = expires
    state.previous = previous
    state.current = current
  }
  let retryAfter = 0
  if (!allowed) {
    // Solved for half the tolerance: a wait that is a whole ms in exact arithmetic but computes a
    // hair above it is not rounded up to the next ms, and the estimate at the answer still passes.
    const room = limit + eps / 2 - want
    retryAfter =
      current <= room
        ? Math.ceil(offset + period * (1 - (room - current) / previous))
        : Math.ceil(offset + period + period * (1 - room / current))
  }
  answer.allowed = allowed
  answer.remaining = Math.max(0, Math.floor(limit - used + eps))
  answer.reset = current > 0 ? Math.ceil(offset + 2 * period) : previous > 0 ? Math.ceil(offset + period) : 0
  answer.retryAfter = retryAfter
  return answer
}
