import { resolvePrefix, resolveTimeoutMs, storeOptions } from '../client/store-options.js'

/** Options of {@link redisApiKeyStore}. */
export interface RedisApiKeyStoreOptions {
  /**
   * Put before every key of the store: `sec:apikey:id:<key id>` (which owner a key id belongs to),
   * `sec:apikey:{<owner>}:key:<key id>` (the record) and `sec:apikey:{<owner>}:keys` (the owner's
   * index). May not contain `{` or `}`. Default: `'sec:apikey:'`. Give each application its own
   * prefix when several share one Redis.
   */
  readonly prefix?: string
  /**
   * How long one call may wait for Redis, in milliseconds, all its commands together, before it
   * rejects with a `SEC_REDIS_TIMEOUT` `RedisStoreError`. `findById` runs on every request an API
   * key authenticates and takes one round trip, two the first time this process sees a key id.
   * Default: `200`. At most `60000`.
   */
  readonly timeoutMs?: number
}

/** {@link RedisApiKeyStoreOptions} with every default applied. */
export interface ResolvedRedisApiKeyStoreOptions {
  readonly prefix: string
  readonly timeoutMs: number
}

const where = 'redisApiKeyStore'

/** Validates {@link RedisApiKeyStoreOptions} once, at construction; throws `SecConfigError` naming the option. */
export function resolveRedisApiKeyStoreOptions(input: unknown): ResolvedRedisApiKeyStoreOptions {
  const options = storeOptions(where, input, ['prefix', 'timeoutMs'])
  return {
    prefix: resolvePrefix(where, options.prefix, 'sec:apikey:'),
    timeoutMs: resolveTimeoutMs(where, options.timeoutMs, 200),
  }
}
