import type { LimitDecision, LimitPolicy } from '../limit-policy.js'
import { type DecisionRecord, decisionRecord } from './decision-record.js'
import { toleranceRatio } from './tolerance.js'

/**
 * A token bucket (GCRA) as its debt: how far its theoretical arrival time (`at + debt`) is ahead
 * of the time of the last write. The bucket is full once `debt` ms have passed since `at`; each
 * unit of cost adds `period / limit` ms of debt.
 *
 * The theoretical arrival time is kept as two numbers, not their sum, because clock readings are
 * large (about 1.7e12 ms since the epoch, where a double resolves only 2.4e-4 ms): adding the
 * per-unit time to such a number rounds at every admission, the rounding piles up over a burst,
 * and a bucket of 7 per second would then refuse its seventh unit. Here the large numbers are
 * only ever subtracted (`now - at`, exact for two close doubles), and the debt stays small.
 */
export interface TokenBucketState {
  /** When the state was last written, ms on the store's clock; `-Infinity` for a key without state. */
  at: number
  /** ms until the bucket is full, counted from `at`; 0 for a key without state. */
  debt: number
}

/**
 * Decides `cost` units at `now` and leaves the new state in `state` (unchanged unless the cost was
 * admitted and is above 0). A cost of 0 is a peek: it records nothing and answers `allowed` and
 * `retryAfter` as if it asked for one unit. The answer is written into `answer` (a new record
 * unless one is given) and returned.
 *
 * The math is GCRA's, in ms of debt: with T = period / limit, `used = debt / T`, a cost is
 * admitted when `debt + cost * T <= period + tolerance`, where the tolerance is `1e-9 * period` ms
 * (`1e-9 * limit` units), so float sums of fractional costs do not refuse the last exact unit.
 * `reset` and `retryAfter` are rounded up to whole ms after taking off half that tolerance, so a
 * bucket of 60 per second drained at once reports 1000 ms, not 1001, and the cost still passes at
 * exactly `now + retryAfter`.
 */
export function decideTokenBucket(
  state: TokenBucketState,
  now: number,
  policy: LimitPolicy,
  cost: number,
  answer: DecisionRecord = decisionRecord(),
): LimitDecision {
  const period = policy.period
  const interval = period / policy.limit
  const slack = toleranceRatio * period
  const elapsed = now - state.at
  const debt0 = state.debt > elapsed ? state.debt - elapsed : 0
  const over = debt0 + (cost === 0 ? 1 : cost) * interval - period - slack
  const allowed = over <= 0
  let debt = debt0
  if (allowed && cost > 0) {
    debt = debt0 + cost * interval
    state.at = now
    state.debt = debt
  }
  answer.allowed = allowed
  answer.remaining = Math.max(0, Math.floor((period - debt + slack) / interval))
  answer.reset = debt > slack / 2 ? Math.ceil(debt - slack / 2) : 0
  answer.retryAfter = allowed ? 0 : Math.ceil(over + slack / 2)
  return answer
}
