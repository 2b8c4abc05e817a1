import { nodeSigningCrypto } from '@sec/node'
import { createNotesDemo, type NotesDemo } from '../demo/index.js'
import { logAuthEvents } from '../identity/index.js'
import { redisRateLimitStore } from './redis-rate-limit-store.js'
import { logStoreEvents } from './store-event-log.js'

/** A demo built from the environment, and what it opened. */
export interface NotesDemoFromEnv {
  readonly demo: NotesDemo
  /**
   * The Redis host and port where the rate limits are shared, or `undefined` when each process
   * counts them in its own memory.
   */
  readonly sharedLimits: string | undefined
  /** Closes what the demo opened: the Redis connection, if any. */
  close(): void
}

/**
 * Builds the Notes demo a server runs. With `REDIS_URL` set, its rate limits are counted on that
 * Redis, so every demo process given the same URL enforces one limit together; outages and
 * recoveries are logged through `log`. The nonces of signed requests, received webhook attempts
 * and processed webhook ids are kept there too, so a replay to another process is refused as well
 * (while Redis is down, those routes answer 503: a replay check cannot fail open). Without it,
 * each process keeps all of these in its own memory. Failed sign-ins, slow-downs, lockouts and
 * reused refresh tokens are logged through `log` either way. Signed requests are hashed with
 * `node:crypto` (`nodeSigningCrypto`), about three times faster on Node than Web Crypto.
 */
export function createNotesDemoFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  log: (line: string) => void = console.warn,
): NotesDemoFromEnv {
  const redis = redisRateLimitStore(env.REDIS_URL)
  const signIns = logAuthEvents(log)
  if (redis === undefined)
    return {
      demo: createNotesDemo({ events: signIns, signingCrypto: nodeSigningCrypto }),
      sharedLimits: undefined,
      close: () => undefined,
    }
  return {
    demo: createNotesDemo({
      rateLimitStore: redis.store,
      replayStore: redis.replays,
      deliveryStore: redis.deliveries,
      events: [signIns, logStoreEvents(log)],
      signingCrypto: nodeSigningCrypto,
    }),
    sharedLimits: redis.where,
    close: () => redis.close(),
  }
}
