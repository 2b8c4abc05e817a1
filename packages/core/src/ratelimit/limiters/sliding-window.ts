import type { RateLimiter } from '../rate-limiter.js'
import { type WindowOptions, windowLimiter } from './window-options.js'

/**
 * A sliding window: at most `limit` units in any `window`, estimated from two fixed-window counters
 * (the previous window's count weighted by how much of it the sliding window still covers, plus the
 * current one). Two numbers per key, O(1) per decision, smooth where a fixed window lets a burst of
 * twice the limit through at each boundary. The estimate assumes the previous window's traffic
 * was spread evenly: see the README for its error bound, and {@link slidingLog} for exact counts.
 *
 * Options are checked now: a missing, malformed or absurd one throws `SecConfigError` naming it.
 *
 * @example
 * const limiter = slidingWindow({ limit: 100, window: '1m' })
 * const result = await limiter.limit(ctx.client.ipKey)
 */
export function slidingWindow(options: WindowOptions): RateLimiter {
  return windowLimiter('slidingWindow', 'sliding-window', 1_000_000_000, options)
}
