import type { RateLimiter } from '../rate-limiter.js'
import { type WindowOptions, windowLimiter } from './window-options.js'

/**
 * A fixed window: at most `limit` units per window, windows aligned to multiples of `window` on the
 * store's clock. The cheapest counter, and the one most peers offer; a caller can spend the limit
 * at the end of one window and again at the start of the next. Prefer {@link slidingWindow} or
 * {@link tokenBucket} unless you want calendar-like quotas.
 *
 * Options are checked now: a missing, malformed or absurd one throws `SecConfigError` naming it.
 *
 * @example
 * const limiter = fixedWindow({ limit: 1000, window: '1h' })
 */
export function fixedWindow(options: WindowOptions): RateLimiter {
  return windowLimiter('fixedWindow', 'fixed-window', 1_000_000_000, options)
}
