import type { LimitAlgorithm, LimitDecision, LimitPolicy } from '@sec/core'
// The memory store's own algorithms, from source (tests only): what the script must answer exactly.
import {
  decideFixedWindow,
  type FixedWindowState,
} from '../../../core/src/ratelimit/algorithms/fixed-window.js'
import { decideSlidingLog, emptySlidingLog } from '../../../core/src/ratelimit/algorithms/sliding-log.js'
import {
  decideSlidingWindow,
  type SlidingWindowState,
} from '../../../core/src/ratelimit/algorithms/sliding-window.js'
import {
  decideTokenBucket,
  type TokenBucketState,
} from '../../../core/src/ratelimit/algorithms/token-bucket.js'

/** One key's state under a core algorithm, decided at instants the caller gives. */
export interface CoreKey {
  decide(now: number, policy: LimitPolicy, cost: number): LimitDecision
  /** ms from `now` until the state the last admission left stops mattering (when the key may go). */
  lifetime(now: number, policy: LimitPolicy): number
}

/** One key of the memory store's algorithms, without the store around them. */
export function coreKey(algorithm: LimitAlgorithm): CoreKey {
  if (algorithm === 'token-bucket') {
    const state: TokenBucketState = { at: Number.NEGATIVE_INFINITY, debt: 0 }
    return {
      decide: (now, policy, cost) => decideTokenBucket(state, now, policy, cost),
      lifetime: (now) => state.debt - (now - state.at),
    }
  }
  if (algorithm === 'fixed-window') {
    const state: FixedWindowState = { expires: Number.NEGATIVE_INFINITY, count: 0 }
    return {
      decide: (now, policy, cost) => decideFixedWindow(state, now, policy, cost),
      lifetime: (now) => state.expires - now,
    }
  }
  if (algorithm === 'sliding-window') {
    const state: SlidingWindowState = { expires: Number.NEGATIVE_INFINITY, previous: 0, current: 0 }
    return {
      decide: (now, policy, cost) => decideSlidingWindow(state, now, policy, cost),
      lifetime: (now) => state.expires - now,
    }
  }
  const state = emptySlidingLog()
  return {
    decide: (now, policy, cost) => decideSlidingLog(state, now, policy, cost),
    // An admission appends an entry at `now`, the newest, which leaves the window a period later.
    lifetime: (_, policy) => policy.period,
  }
}
