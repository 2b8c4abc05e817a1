import * as v from 'valibot'
import { parseOptions } from '../config/index.js'
import { type Clock, systemClock } from '../pipeline/index.js'

/**
 * Where verifiers remember the deliveries they accepted, so that the same delivery sent again
 * within the tolerance is refused as `replayed`. Implementations: {@link memoryWebhookReplayStore}
 * for one instance; a shared store (one `SET key 1 NX PX ttl` in Redis) for several.
 *
 * This is a replay defence, not a substitute for idempotency: senders retry for days, long after
 * an entry here expired, so receivers also record the ids they processed in their own storage.
 */
export interface WebhookReplayStore {
  /**
   * Records `key` for `ttlMs` milliseconds. Answers `true` when the key was not recorded yet (it
   * now is), `false` when it is still recorded: the delivery is a replay.
   */
  record(key: string, ttlMs: number): boolean | Promise<boolean>
}

/** Options of {@link memoryWebhookReplayStore}. */
export interface MemoryWebhookReplayStoreOptions {
  /**
   * The most keys kept at once. When full, expired keys are dropped, then the oldest key: past
   * this many deliveries within the tolerance window the oldest could be replayed while its
   * timestamp is still fresh. Size it above the deliveries you expect in twice the tolerance.
   * Default: `100000`.
   */
  readonly maxEntries?: number
  /** The clock deciding when a key expired. Default: `Date.now`. */
  readonly clock?: Clock
}

const optionsSchema = v.strictObject({
  maxEntries: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(100_000_000))),
  clock: v.optional(
    v.custom<Clock>((x) => typeof (x as Clock | null)?.now === 'function', 'Expected { now(): number }'),
  ),
})

/** A full sweep is O(entries): at capacity it runs at most this often, in ms, and evictions fill the gaps. */
const sweepInterval = 1000

/**
 * An in-memory {@link WebhookReplayStore} for a single instance: a map from key to expiry, bounded,
 * with no timer. Expired keys are dropped when met and swept when the store fills up.
 *
 * @example
 * webhook({ secrets: [process.env.WEBHOOK_SECRET], replay: memoryWebhookReplayStore() })
 */
export function memoryWebhookReplayStore(options?: MemoryWebhookReplayStoreOptions): WebhookReplayStore {
  const parsed = parseOptions('memoryWebhookReplayStore', optionsSchema, options)
  const maxEntries = parsed.maxEntries ?? 100_000
  const clock = parsed.clock ?? systemClock
  const entries = new Map<string, number>()
  let nextSweep = Number.NEGATIVE_INFINITY

  function makeRoom(now: number): void {
    if (now >= nextSweep) {
      nextSweep = now + sweepInterval
      for (const [key, expires] of entries) if (expires <= now) entries.delete(key)
    }
    if (entries.size >= maxEntries) {
      const oldest = entries.keys().next()
      if (oldest.done !== true) entries.delete(oldest.value)
    }
  }

  return {
    record(key, ttlMs) {
      const now = clock.now()
      const expires = entries.get(key)
      if (expires !== undefined) {
        if (expires > now) return false
        // Re-inserted below, so the map's order stays the order of recording.
        entries.delete(key)
      }
      if (entries.size >= maxEntries) makeRoom(now)
      entries.set(key, now + Math.max(1, ttlMs))
      return true
    },
  }
}
