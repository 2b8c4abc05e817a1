import * as v from 'valibot'
import { configError, parseOptions } from '../../config/index.js'
import type { Duration } from '../../duration/index.js'
import type { LimitPolicy } from '../limit-policy.js'
import type { InProcessStoreOption, RateLimiter, SyncRateLimiter } from '../rate-limiter.js'
import { createLimiter } from './create-limiter.js'
import {
  boundedDuration,
  countSchema,
  durationSchema,
  type LimiterOptions,
  limiterOptionEntries,
  maxPeriod,
  required,
  resolveLimiterSettings,
} from './limiter-options.js'

/** Options of {@link tokenBucket}. */
export interface TokenBucketOptions extends LimiterOptions {
  /**
   * The most units the bucket holds: the largest burst admitted at once, and the largest cost of
   * one call. A whole number from 1 to 1,000,000,000. Required.
   */
  readonly capacity: number
  /**
   * Units put back in the bucket every `interval`, continuously (one unit every `interval / refillRate`
   * ms, not in steps). A finite number greater than 0, fractions allowed. Required.
   */
  readonly refillRate: number
  /**
   * The time over which `refillRate` units come back, as ms or a string such as `'1s'`, `'1m'`.
   * From 1 ms to `'1y'`. Required.
   */
  readonly interval: Duration
}

const where = 'tokenBucket'

/** The shortest time between two units: 0.1 ms. Faster refills lose exactness in float time. */
const minEmissionInterval = 0.1

const optionsSchema = v.strictObject({
  capacity: v.optional(
    countSchema(
      1_000_000_000,
      'Expected a whole number of units from 1 to 1000000000 (the largest burst), e.g. capacity: 100',
    ),
  ),
  refillRate: v.optional(
    v.pipe(
      v.number('Expected a finite number of units greater than 0, e.g. refillRate: 10'),
      v.check(
        (rate) => rate > 0 && Number.isFinite(rate),
        'Expected a finite number of units greater than 0, e.g. refillRate: 10',
      ),
    ),
  ),
  interval: v.optional(durationSchema),
  ...limiterOptionEntries,
})

/**
 * A token bucket: `capacity` units, refilled continuously at `refillRate` units per `interval`. A call
 * takes `cost` units when the bucket holds them. Bursts up to `capacity`, then a steady
 * `refillRate` per `interval`. Computed as GCRA (one timestamp per key), so a key costs one number
 * in the store and a decision is O(1).
 *
 * In process (no `store`, or a `memoryStore()`), the limiter is a {@link SyncRateLimiter}: its
 * `limitSync()` gives the same answer as `limit()` without a promise.
 *
 * Options are checked now: a missing, malformed or absurd one throws `SecConfigError` naming it.
 *
 * @example
 * const limiter = tokenBucket({ capacity: 100, refillRate: 10, interval: '1s' }) // 10 per second, bursts to 100
 * const { allowed, retryAfter } = await limiter.limit(`user:${id}`)
 */
export function tokenBucket(options: TokenBucketOptions & InProcessStoreOption): SyncRateLimiter
/** On a shared store (such as `redisStore()` from `@sec/redis`), decisions are promises only. */
export function tokenBucket(options: TokenBucketOptions): RateLimiter
export function tokenBucket(options: TokenBucketOptions): RateLimiter {
  const parsed = parseOptions(where, optionsSchema, options)
  const capacity = required(`${where}.capacity`, parsed.capacity, 'capacity: 100')
  const refillRate = required(`${where}.refillRate`, parsed.refillRate, 'refillRate: 10')
  const interval = boundedDuration(
    `${where}.interval`,
    required(`${where}.interval`, parsed.interval, "interval: '1s'"),
    maxPeriod,
    "'1y'",
  )
  if (interval / refillRate < minEmissionInterval)
    configError(
      `${where}.refillRate`,
      `refills ${refillRate} units every ${interval} ms, more than 10 units per ms. Count in larger units (kilobytes rather than bytes) or lower the rate.`,
    )
  const period = (capacity * interval) / refillRate
  if (period < 1 || period > maxPeriod)
    configError(
      `${where}.refillRate`,
      `an empty bucket would refill in ${period} ms (capacity × interval / refillRate); it must take from 1 ms to one year. Adjust capacity, refillRate or interval.`,
    )
  const policy: LimitPolicy = Object.freeze({ algorithm: 'token-bucket', limit: capacity, period })
  return createLimiter(policy, resolveLimiterSettings(where, parsed, policy), false)
}
