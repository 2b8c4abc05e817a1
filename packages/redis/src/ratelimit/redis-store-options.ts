import { SecConfigError } from '@sec/core'

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
const maxTimeoutMs = 60_000
const known: ReadonlySet<string> = new Set(['prefix', 'timeoutMs'])

/** Validates {@link RedisStoreOptions} once, at construction; throws `SecConfigError` naming the option. */
export function resolveRedisStoreOptions(input: unknown): ResolvedRedisStoreOptions {
  if (input === undefined || input === null) return { prefix: 'sec:rl:', timeoutMs: 100 }
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw new SecConfigError(`${where}.options`, 'must be an object such as `{ prefix, timeoutMs }`.')
  for (const name of Object.keys(input)) {
    if (!known.has(name))
      throw new SecConfigError(
        `${where}.${name}`,
        'is not a known option. Remove it or check its spelling against the documentation.',
      )
  }
  const { prefix = 'sec:rl:', timeoutMs = 100 } = input as RedisStoreOptions
  if (typeof prefix !== 'string')
    throw new SecConfigError(`${where}.prefix`, `must be a string such as 'sec:rl:'; got ${typeof prefix}.`)
  if (prefix.includes('{') || prefix.includes('}'))
    throw new SecConfigError(
      `${where}.prefix`,
      'must not contain `{` or `}`: the store puts the key itself in braces as the Redis Cluster hash tag.',
    )
  if (
    typeof timeoutMs !== 'number' ||
    !Number.isFinite(timeoutMs) ||
    timeoutMs <= 0 ||
    timeoutMs > maxTimeoutMs
  )
    throw new SecConfigError(
      `${where}.timeoutMs`,
      `must be a number of milliseconds above 0 and at most ${maxTimeoutMs}, such as 100; got ${String(timeoutMs)}.`,
    )
  return { prefix, timeoutMs }
}
