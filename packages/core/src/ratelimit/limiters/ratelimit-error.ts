import { SecError } from '../../errors/index.js'

/**
 * The codes of {@link SecRateLimitError}:
 * - `SEC_RATELIMIT_KEY`: the key is not a string, is empty, is longer than 1024 UTF-16 code units,
 *   or holds a lone surrogate (refused on every store, since stores that keep keys as UTF-8 would
 *   merge it with other keys).
 * - `SEC_RATELIMIT_COST`: the cost is not a finite number greater than 0, is larger than the limit,
 *   or is not a whole number for a sliding log.
 * - `SEC_RATELIMIT_STORE`: a store of kind `memory` answered `limitSync()` with a promise. It reaches
 *   the `ratelimit.store-unavailable` event, and the call falls back as for any store failure.
 */
export type RateLimitErrorCode = 'SEC_RATELIMIT_KEY' | 'SEC_RATELIMIT_COST' | 'SEC_RATELIMIT_STORE'

/**
 * A call to a limiter with a key or cost it cannot decide on. `limit()` and `peek()` reject with it
 * before the store is asked, so a bad call never changes any state. These are programming errors
 * (a key function that returned `''`, a cost computed as `NaN`): the message says what to change.
 * Messages never quote the key, which may be a credential.
 */
export class SecRateLimitError extends SecError {
  declare readonly code: RateLimitErrorCode
  /** The name of the limiter that refused the call. */
  readonly limiter: string

  constructor(code: RateLimitErrorCode, limiter: string, message: string) {
    super(code, `Rate limiter '${limiter}': ${message}`)
    this.limiter = limiter
  }
}
