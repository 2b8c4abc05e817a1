import type { InProcessStoreOption, RateLimiter, SyncRateLimiter } from '../rate-limiter.js'
import { type WindowOptions, windowLimiter } from './window-options.js'

/**
 * A sliding window: at most `limit` units in any `window`, estimated from two fixed-window counters
 * (the previous window's count weighted by how much of it the sliding window still covers, plus the
 * current one). Two numbers per key, O(1) per decision, smooth where a fixed window lets a burst of
 * twice the limit through at each boundary. The estimate assumes the previous window's traffic
 * was spread evenly: see the README for its error bound, and {@link slidingLog} for exact counts.
 *
 * In process (no `store`, or a `memoryStore()`), the limiter is a {@link SyncRateLimiter}: its
 * `limitSync()` gives the same answer as `limit()` without a promise.
 *
 * Options are checked now: a missing, malformed or absurd one throws `SecConfigError` naming it.
 *
 * @example
 * const limiter = slidingWindow({ limit: 100, window: '1m' })
 * const result = await limiter.limit(ctx.client.ipKey)
 */
export function slidingWindow(options: WindowOptions & InProcessStoreOption): SyncRateLimiter
/** On a shared store (such as `redisStore()` from `@sec/redis`), decisions are promises only. */
export function slidingWindow(options: WindowOptions): RateLimiter
export function slidingWindow(options: WindowOptions): RateLimiter {
  return windowLimiter('slidingWindow', 'sliding-window', 1_000_000_000, options)
}
