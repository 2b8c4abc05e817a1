import { resolvePrefix, resolveTimeoutMs, storeOptions } from '../client/store-options.js'

/** Options of {@link redisNonceStore}. */
export interface RedisNonceStoreOptions {
  /**
   * Put before every nonce: the nonce `sigv4:AKID:3q2+7w…` that the `sigv4` guard records is the
   * Redis key `sec:nonce:sigv4:AKID:3q2+7w…`. May not contain `{` or `}`. Default: `'sec:nonce:'`.
   * Give each verifier its own prefix when several share one Redis (say `'sec:webhook:'` for a
   * webhook guard's `replay` store), so their nonces never meet.
   */
  readonly prefix?: string
  /**
   * How long one call may wait for Redis, in milliseconds, before it rejects with a
   * `SEC_REDIS_TIMEOUT` `RedisStoreError`, which the `sigv4` and webhook guards answer with a 503.
   * A nonce is recorded on every signed request, so this bounds the latency Redis adds to each.
   * Default: `100`. At most `60000`.
   */
  readonly timeoutMs?: number
}

/** {@link RedisNonceStoreOptions} with every default applied. */
export interface ResolvedRedisNonceStoreOptions {
  readonly prefix: string
  readonly timeoutMs: number
}

const where = 'redisNonceStore'

/** Validates {@link RedisNonceStoreOptions} once, at construction; throws `SecConfigError` naming the option. */
export function resolveRedisNonceStoreOptions(input: unknown): ResolvedRedisNonceStoreOptions {
  const options = storeOptions(where, input, ['prefix', 'timeoutMs'])
  return {
    prefix: resolvePrefix(where, options.prefix, 'sec:nonce:'),
    timeoutMs: resolveTimeoutMs(where, options.timeoutMs, 100),
  }
}
