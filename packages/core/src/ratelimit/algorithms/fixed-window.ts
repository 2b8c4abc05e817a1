import type { LimitDecision, LimitPolicy } from '../limit-policy.js'
import { type DecisionRecord, decisionRecord } from './decision-record.js'
import { toleranceRatio } from './tolerance.js'

/** A fixed window counter: which window it counts and what it holds. */
export interface FixedWindowState {
  /**
   * The end of the counted window (`start + period`, ms on the store's clock): it names the window
   * and is the time at which the key carries no information any more. `-Infinity` for a key without
   * state.
   */
  expires: number
  /** Cost admitted in that window. */
  count: number
}

/**
 * Decides `cost` units at `now` and leaves the new state in `state` (unchanged unless the cost was
 * admitted and is above 0). Windows are aligned to multiples of `policy.period`. A cost of 0 is a
 * peek: it records nothing and answers `allowed` and `retryAfter` as if it asked for one unit.
 * The answer is written into `answer` (a new record unless one is given) and returned.
 */
export function decideFixedWindow(
  state: FixedWindowState,
  now: number,
  policy: LimitPolicy,
  cost: number,
  answer: DecisionRecord = decisionRecord(),
): LimitDecision {
  const limit = policy.limit
  const period = policy.period
  const eps = toleranceRatio * limit
  const want = cost === 0 ? 1 : cost
  const start = Math.floor(now / period) * period
  const end = start + period
  let count = state.expires === end ? state.count : 0
  const allowed = count + want <= limit + eps
  if (allowed && cost > 0) {
    count += cost
    state.expires = end
    state.count = count
  }
  // Relative to now first: subtracting two large clock readings is exact, adding a period rounds.
  const left = Math.ceil(start - now + period)
  answer.allowed = allowed
  answer.remaining = Math.max(0, Math.floor(limit - count + eps))
  answer.reset = count > 0 ? left : 0
  answer.retryAfter = allowed ? 0 : left
  return answer
}
