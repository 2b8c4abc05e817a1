import type { InProcessStoreOption, RateLimiter, SyncRateLimiter } from '../rate-limiter.js'
import { type WindowOptions, windowLimiter } from './window-options.js'

/** The largest `limit` of a sliding log: it keeps one entry per admitted call. */
export const maxSlidingLogLimit = 1000

/** Options of {@link slidingLog}. */
export interface SlidingLogOptions extends WindowOptions {
  /**
   * The most units admitted in any span of `window`, and the largest cost of one call. A whole number
   * from 1 to 1000 (the log keeps one entry per admitted call). Required.
   */
  readonly limit: number
}

/**
 * An exact sliding window: it keeps the time and cost of each admitted call within the last
 * `window` and admits a call when their sum plus its cost stays within `limit`. Exact at any instant,
 * at the price of one entry per admitted call, so `limit` is at most 1000 and costs are whole
 * numbers.
 *
 * In process (no `store`, or a `memoryStore()`), the limiter is a {@link SyncRateLimiter}: its
 * `limitSync()` gives the same answer as `limit()` without a promise.
 *
 * Options are checked now: a missing, malformed or absurd one throws `SecConfigError` naming it.
 *
 * @example
 * const logins = slidingLog({ limit: 5, window: '15m' })
 */
export function slidingLog(options: SlidingLogOptions & InProcessStoreOption): SyncRateLimiter
/** On a shared store (such as `redisStore()` from `@sec/redis`), decisions are promises only. */
export function slidingLog(options: SlidingLogOptions): RateLimiter
export function slidingLog(options: SlidingLogOptions): RateLimiter {
  return windowLimiter('slidingLog', 'sliding-log', maxSlidingLogLimit, options)
}
