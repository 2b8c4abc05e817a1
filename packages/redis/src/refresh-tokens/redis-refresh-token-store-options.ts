import type { Clock } from '@sec/core'
import { resolveClock, resolvePrefix, resolveTimeoutMs, storeOptions } from '../client/store-options.js'

/** Options of {@link redisRefreshTokenStore}. */
export interface RedisRefreshTokenStoreOptions {
  /**
   * Put before every key of the store: `sec:refresh:hash:<token hash>` (which family a token
   * belongs to) and `sec:refresh:{<family id>}:…` (the family's tokens and state). May not contain
   * `{` or `}`. Default: `'sec:refresh:'`. Give each application its own prefix when several share
   * one Redis.
   */
  readonly prefix?: string
  /**
   * How long one call may wait for Redis, in milliseconds, all its commands together, before it
   * rejects with a `SEC_REDIS_TIMEOUT` `RedisStoreError`. Refreshes are rare next to other
   * requests, and a `consume` that timed out may still have spent the token (so the client's retry
   * looks like a reuse), which makes waiting longer the better trade. Default: `500`. At most
   * `60000`.
   */
  readonly timeoutMs?: number
  /**
   * The clock that decides when a token expired, stamps `spentAt`, and from which TTLs are computed
   * (`expiresAt - now`): pass the token issuer's clock. Default: `Date.now`.
   */
  readonly clock?: Clock
}

/** {@link RedisRefreshTokenStoreOptions} with every default applied. */
export interface ResolvedRedisRefreshTokenStoreOptions {
  readonly prefix: string
  readonly timeoutMs: number
  readonly clock: Clock
}

const where = 'redisRefreshTokenStore'

/** Validates {@link RedisRefreshTokenStoreOptions} once, at construction; throws `SecConfigError` naming the option. */
export function resolveRedisRefreshTokenStoreOptions(input: unknown): ResolvedRedisRefreshTokenStoreOptions {
  const options = storeOptions(where, input, ['prefix', 'timeoutMs', 'clock'])
  return {
    prefix: resolvePrefix(where, options.prefix, 'sec:refresh:'),
    timeoutMs: resolveTimeoutMs(where, options.timeoutMs, 500),
    clock: resolveClock(where, options.clock),
  }
}
