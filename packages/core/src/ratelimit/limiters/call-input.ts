import { SecRateLimitError } from './ratelimit-error.js'

/** The longest key a limiter takes, in UTF-16 code units (as `String.prototype.length` counts). */
export const maxKeyLength = 1024

type MaybeWellFormed = string & { isWellFormed?: () => boolean }

/**
 * Whether `key` is usable by any store: a non-empty string of at most {@link maxKeyLength} code
 * units without a lone surrogate. Stores that keep keys as UTF-8 (Redis) would turn every lone
 * surrogate into U+FFFD, merging distinct keys, so such keys are refused rather than silently shared.
 */
export function isValidKey(key: unknown): key is string {
  return (
    typeof key === 'string' &&
    key.length !== 0 &&
    key.length <= maxKeyLength &&
    (key as MaybeWellFormed).isWellFormed?.() !== false
  )
}

/** The error for a key {@link isValidKey} refused. Never quotes the key, which may be a secret. */
export function keyError(limiter: string, key: unknown): SecRateLimitError {
  let message: string
  if (typeof key !== 'string')
    message = `the key must be a string; got ${key === null ? 'null' : typeof key}. Pass the client's IP key, user id or a hash of its API key.`
  else if (key.length === 0)
    message =
      "the key is empty, which would put every caller in one bucket. Key by something that identifies the caller, such as ctx.client.ipKey or the user's id."
  else if (key.length > maxKeyLength)
    message = `the key is ${key.length} UTF-16 code units long; the most is ${maxKeyLength}. Hash long keys (for example the SHA-256 of an API key, in hex) before limiting on them.`
  else
    message =
      'the key holds a lone surrogate (it is not well-formed Unicode), and stores that keep keys as UTF-8 would merge it with other keys. Call key.toWellFormed() or hash the key first.'
  return new SecRateLimitError('SEC_RATELIMIT_KEY', limiter, message)
}

/** The error for a cost that is not a finite number in (0, limit], or not whole where it must be. */
export function costError(limiter: string, cost: unknown, limit: number): SecRateLimitError {
  let message: string
  if (typeof cost !== 'number')
    message = `the cost must be a number; got ${cost === null ? 'null' : typeof cost}. Pass { cost: 1 } or leave it out.`
  else if (!Number.isFinite(cost) || cost <= 0)
    message = `the cost must be a finite number greater than 0; got ${cost}. Leave it out for a cost of 1.`
  else if (cost > limit)
    message = `the cost ${cost} is larger than the limit ${limit}, so it could never be admitted. Split the work into smaller costs or raise the limit.`
  else
    message = `a sliding log counts whole units; got the cost ${cost}. Round it, or use tokenBucket() or slidingWindow() for fractional costs.`
  return new SecRateLimitError('SEC_RATELIMIT_COST', limiter, message)
}

/** The error for call options that are not an object. */
export function callOptionsError(limiter: string, options: unknown): SecRateLimitError {
  return new SecRateLimitError(
    'SEC_RATELIMIT_COST',
    limiter,
    `the call options must be an object such as { cost: 2 }; got ${options === null ? 'null' : typeof options}.`,
  )
}
