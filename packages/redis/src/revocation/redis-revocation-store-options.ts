import type { Clock } from '@sec/core'
import { resolveClock, resolvePrefix, resolveTimeoutMs, storeOptions } from '../client/store-options.js'

/** Options of {@link redisRevocationStore}. */
export interface RedisRevocationStoreOptions {
  /**
   * Put before every token id: the revocation of `jti` `4f1c…` is the Redis key
   * `sec:revoked:4f1c…`. May not contain `{` or `}`. Default: `'sec:revoked:'`. Give each
   * application its own prefix when several share one Redis and their token ids could meet.
   */
  readonly prefix?: string
  /**
   * How long one call may wait for Redis, in milliseconds, before it rejects with a
   * `SEC_REDIS_TIMEOUT` `RedisStoreError`. `isRevoked` runs on every request a token verifier
   * checks, so this bounds the latency Redis adds to it. Default: `100`. At most `60000`.
   */
  readonly timeoutMs?: number
  /**
   * The clock `until` is compared with, and TTLs are computed from (`until - now`): the same clock
   * as the verifier's and the issuer's, so a Redis server whose clock is off changes nothing.
   * Default: `Date.now`.
   */
  readonly clock?: Clock
}

/** {@link RedisRevocationStoreOptions} with every default applied. */
export interface ResolvedRedisRevocationStoreOptions {
  readonly prefix: string
  readonly timeoutMs: number
  readonly clock: Clock
}

const where = 'redisRevocationStore'

/** Validates {@link RedisRevocationStoreOptions} once, at construction; throws `SecConfigError` naming the option. */
export function resolveRedisRevocationStoreOptions(input: unknown): ResolvedRedisRevocationStoreOptions {
  const options = storeOptions(where, input, ['prefix', 'timeoutMs', 'clock'])
  return {
    prefix: resolvePrefix(where, options.prefix, 'sec:revoked:'),
    timeoutMs: resolveTimeoutMs(where, options.timeoutMs, 100),
    clock: resolveClock(where, options.clock),
  }
}
