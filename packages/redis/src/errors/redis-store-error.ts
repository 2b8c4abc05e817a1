import { SecError } from '@sec/core'

/**
 * The stable codes of {@link RedisStoreError}:
 * - `SEC_REDIS_TIMEOUT`: Redis did not answer within the store's `timeoutMs`. The command may
 *   still run later (ioredis resends it after a reconnect), so its effect is not known.
 * - `SEC_REDIS_UNAVAILABLE`: the client is not connected (reconnecting, closed or ended), or the
 *   connection failed while the command was in flight. Nothing was waited for.
 * - `SEC_REDIS_REPLY`: Redis answered with an error (for example `CLUSTERDOWN`, `OOM`, `READONLY`,
 *   `WRONGTYPE`) or with a reply the store does not understand, such as stored data it did not write.
 */
export type RedisStoreErrorCode = 'SEC_REDIS_TIMEOUT' | 'SEC_REDIS_UNAVAILABLE' | 'SEC_REDIS_REPLY'

/**
 * Why a Redis store could not answer. Limiters turn it into their failure policy (fail open,
 * fail closed, or the insurance limiter); the revocation, API key and refresh token stores reject
 * with it. `cause` holds ioredis's own error when there is one.
 */
export class RedisStoreError extends SecError {
  declare readonly code: RedisStoreErrorCode

  constructor(code: RedisStoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options)
  }
}
