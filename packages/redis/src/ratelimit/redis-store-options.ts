import { resolvePrefix, resolveTimeoutMs, storeOptions } from '../client/store-options.js'

/** Options of {@link redisStore}. */
export interface RedisStoreOptions {
  /**
   * Prepended to every key, so limiter state is easy to find, count and evict apart from your own
   * keys: a decision of limiter `api` for key `ip:203.0.113.7` uses the Redis key
   * `sec:rl:{api:ip:203.0.113.7}`. The braces are the Cluster hash tag, so the prefix itself may not
   * contain `{` or `}`. Default: `'sec:rl:'`. Give each application its own prefix when several
   * share one Redis and use the same limiter names for different limits.
   */
  readonly prefix?: string
  /**
   * How long one decision may wait for Redis, in milliseconds, before it fails with a
   * `SEC_REDIS_TIMEOUT` `RedisStoreError` and the limiter applies its failure policy. It
   * bounds the latency Redis can add to a request, including time spent in ioredis's offline queue
   * while it reconnects. Default: `100`. At most `60000`.
   */
  readonly timeoutMs?: number
}

/** {@link RedisStoreOptions} with every default applied. */
export interface ResolvedRedisStoreOptions {
  readonly prefix: string
  readonly timeoutMs: number
}

const where = 'redisStore'

/** Validates {@link RedisStoreOptions} once, at construction; throws `SecConfigError` naming the option. */
export function resolveRedisStoreOptions(input: unknown): ResolvedRedisStoreOptions {
  const options = storeOptions(where, input, ['prefix', 'timeoutMs'])
  return {
    prefix: resolvePrefix(where, options.prefix, 'sec:rl:'),
    timeoutMs: resolveTimeoutMs(where, options.timeoutMs, 100),
  }
}
