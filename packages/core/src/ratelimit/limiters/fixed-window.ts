import type { InProcessStoreOption, RateLimiter, SyncRateLimiter } from '../rate-limiter.js'
import { type WindowOptions, windowLimiter } from './window-options.js'

/**
 * A fixed window: at most `limit` units per window, windows aligned to multiples of `window` on the
 * store's clock. The cheapest counter, and the one most peers offer; a caller can spend the limit
 * at the end of one window and again at the start of the next. Prefer {@link slidingWindow} or
 * {@link tokenBucket} unless you want calendar-like quotas.
 *
 * In process (no `store`, or a `memoryStore()`), the limiter is a {@link SyncRateLimiter}: its
 * `limitSync()` gives the same answer as `limit()` without a promise.
 *
 * Options are checked now: a missing, malformed or absurd one throws `SecConfigError` naming it.
 *
 * @example
 * const limiter = fixedWindow({ limit: 1000, window: '1h' })
 */
export function fixedWindow(options: WindowOptions & InProcessStoreOption): SyncRateLimiter
/** On a shared store (such as `redisStore()` from `@sec/redis`), decisions are promises only. */
export function fixedWindow(options: WindowOptions): RateLimiter
export function fixedWindow(options: WindowOptions): RateLimiter {
  return windowLimiter('fixedWindow', 'fixed-window', 1_000_000_000, options)
}
