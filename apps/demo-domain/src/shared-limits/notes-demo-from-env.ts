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
 * recoveries are logged through `log`. Without it, each process counts in its own memory. Failed
 * sign-ins, slow-downs, lockouts and reused refresh tokens are logged through `log` either way.
 */
export function createNotesDemoFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  log: (line: string) => void = console.warn,
): NotesDemoFromEnv {
  const redis = redisRateLimitStore(env.REDIS_URL)
  const signIns = logAuthEvents(log)
  if (redis === undefined)
    return { demo: createNotesDemo({ events: signIns }), sharedLimits: undefined, close: () => undefined }
  return {
    demo: createNotesDemo({ rateLimitStore: redis.store, events: [signIns, logStoreEvents(log)] }),
    sharedLimits: redis.where,
    close: () => redis.close(),
  }
}
