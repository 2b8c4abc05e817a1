import * as v from 'valibot'
import { parseOptions } from '../../config/index.js'
import type { Duration } from '../../duration/index.js'
import type { LimitAlgorithm, LimitPolicy } from '../limit-policy.js'
import type { RateLimiter } from '../rate-limiter.js'
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

/** Options of {@link slidingWindow} and {@link fixedWindow}. */
export interface WindowOptions extends LimiterOptions {
  /**
   * The most units admitted per window, and the largest cost of one call. A whole number from 1 to
   * 1,000,000,000. Required.
   */
  readonly limit: number
  /** The window's length, as ms or a string such as `'1m'`, `'1h'`, `'1d'`. From 1 ms to `'1y'`. Required. */
  readonly window: Duration
}

/** Builds a window limiter for the factory `where`, whose `limit` may not exceed `maxLimit`. */
export function windowLimiter(
  where: string,
  algorithm: LimitAlgorithm,
  maxLimit: number,
  options: WindowOptions,
): RateLimiter {
  const schema = v.strictObject({
    limit: v.optional(
      countSchema(
        maxLimit,
        `Expected a whole number of units from 1 to ${maxLimit} per window, e.g. limit: 100`,
      ),
    ),
    window: v.optional(durationSchema),
    ...limiterOptionEntries,
  })
  const parsed = parseOptions(where, schema, options)
  const limit = required(`${where}.limit`, parsed.limit, 'limit: 100')
  const window = required(`${where}.window`, parsed.window, "window: '1m'")
  const period = boundedDuration(`${where}.window`, window, maxPeriod, "'1y'")
  const policy: LimitPolicy = Object.freeze({ algorithm, limit, period })
  return createLimiter(policy, resolveLimiterSettings(where, parsed, policy), algorithm === 'sliding-log')
}
