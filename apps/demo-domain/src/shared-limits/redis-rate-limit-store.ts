import type { NonceStore, RateLimitStore } from '@sec/core'
import { redisNonceStore, redisStore } from '@sec/redis'
import { Redis } from 'ioredis'

/** The prefix of the demos' rate-limit keys on Redis, e.g. `notes-demo:rl:{api:ip:203.0.113.7}`. */
export const demoRedisPrefix = 'notes-demo:rl:'

/** The prefix of the demos' replay keys, e.g. `notes-demo:nonce:sigv4:notes-importer:…`. */
export const demoReplayPrefix = 'notes-demo:nonce:'

/** The prefix of the demos' processed webhook ids, e.g. `notes-demo:delivery:webhook-id:msg_…`. */
export const demoDeliveryPrefix = 'notes-demo:delivery:'

/** A rate-limit store on Redis, shared by every demo process given the same URL, and nonce stores on the same connection. */
export interface RedisRateLimitStore {
  readonly store: RateLimitStore
  /** The nonces of signed requests and the webhook attempts received, so every process refuses a replay. */
  readonly replays: NonceStore
  /** The processed webhook ids, so a retry to any process creates nothing. */
  readonly deliveries: NonceStore
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
 * `redisStore` and two `redisNonceStore`s on it, or `undefined` when `url` is unset or empty. Throws on anything but a
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
    replays: redisNonceStore(redis, { prefix: demoReplayPrefix, timeoutMs: 1000 }),
    deliveries: redisNonceStore(redis, { prefix: demoDeliveryPrefix, timeoutMs: 1000 }),
    where: parsed.host,
    close: () => redis.disconnect(),
  }
}
