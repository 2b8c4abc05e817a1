import type { RateLimitStore } from '@sec/core'
import { redisStore } from '@sec/redis'
import { Redis } from 'ioredis'

/** The prefix of the demos' Redis keys, e.g. `notes-demo:rl:{api:ip:203.0.113.7}`. */
export const demoRedisPrefix = 'notes-demo:rl:'

/** A rate-limit store on Redis, shared by every demo process given the same URL. */
export interface RedisRateLimitStore {
  readonly store: RateLimitStore
  /** The Redis host and port, for logs: never the credentials the URL may carry. */
  readonly where: string
  /** Drops the connection to Redis. */
  close(): void
}

function redisUrl(value: string): URL | undefined {
  try {
    const url = new URL(value)
    return url.protocol === 'redis:' || url.protocol === 'rediss:' ? url : undefined
  } catch {
    return undefined
  }
}

/**
 * Connects to the Redis server at `url` (normally `process.env.REDIS_URL`) and returns a
 * `redisStore` on it, or `undefined` when `url` is unset or empty. Throws on anything but a
 * `redis://` or `rediss://` URL, so a typo fails at start-up; the message does not repeat the
 * value, which may hold a password.
 */
export function redisRateLimitStore(url: string | undefined): RedisRateLimitStore | undefined {
  if (url === undefined || url === '') return undefined
  const parsed = redisUrl(url)
  if (parsed === undefined)
    throw new RangeError('REDIS_URL must be a redis:// or rediss:// URL, such as redis://127.0.0.1:6379.')
  const redis = new Redis(url)
  // The limiters report an outage once and its end once (ratelimit.store-* events); ioredis would
  // also print every failed reconnection attempt.
  redis.on('error', () => undefined)
  return {
    // A demo shares its machine with everything else a developer runs; a second keeps a busy
    // laptop from sending it to its in-memory fallback. A production app sets what its Redis
    // answers in (the default is 100 ms).
    store: redisStore(redis, { prefix: demoRedisPrefix, timeoutMs: 1000 }),
    where: parsed.host,
    close: () => redis.disconnect(),
  }
}
