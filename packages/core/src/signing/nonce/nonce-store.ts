import * as v from 'valibot'
import { parseOptions } from '../../config/index.js'
import { SecError } from '../../errors/index.js'
import { type Clock, systemClock } from '../../pipeline/index.js'

/**
 * Remembers nonces for a while, to accept each one once. `record` must be atomic: of any number of
 * concurrent calls with the same nonce, exactly one answers `true`. Implementations: the memory
 * store here for one instance; a Redis store in `@sec/redis` for several (one `SET key 1 NX PX ttl`).
 */
export interface NonceStore {
  /**
   * Records `nonce` for `ttlMs` milliseconds (at least 1). Answers `true` the first time, `false`
   * while an earlier record of it is still live. May throw (or reject) when the store cannot
   * answer; callers then refuse the request.
   */
  record(nonce: string, ttlMs: number): Promise<boolean> | boolean
}

/** Options of {@link memoryNonceStore}. */
export interface MemoryNonceStoreOptions {
  /**
   * The most live nonces kept. A store full of live nonces throws {@link NonceStoreFullError}
   * rather than forget one (a forgotten nonce could be replayed). Size it to requests per
   * window: the `sigv4` guard keeps a nonce up to 10 minutes by default (its ±5-minute window plus
   * the skew), so 100 000 entries absorb about 166 signed requests per second. Default: `100000`.
   */
  readonly maxEntries?: number
  /** The clock deciding when a nonce expired. Default: `Date.now`. */
  readonly clock?: Clock
}

/** Thrown by {@link memoryNonceStore} when every slot holds a nonce that has not expired yet. */
export class NonceStoreFullError extends SecError {
  constructor(maxEntries: number) {
    super(
      'SEC_NONCE_STORE_FULL',
      `The nonce store holds ${maxEntries} live nonces: raise maxEntries, shorten the window, or use a shared store such as @sec/redis.`,
    )
  }
}

const optionsSchema = v.strictObject({
  maxEntries: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(100_000_000))),
  clock: v.optional(
    v.custom<Clock>((x) => typeof (x as Clock | null)?.now === 'function', 'Expected { now(): number }'),
  ),
})

/** How many expired entries one `record` drops from the oldest end, so no call does unbounded work. */
const pruneStep = 8

/**
 * An in-memory {@link NonceStore} for a single instance: a map from nonce to the time it may be
 * forgotten, in insertion order. No timer: each call drops a few expired entries from the oldest
 * end, and a full store sweeps them all (at most once until the earliest survivor expires).
 *
 * @example
 * const nonces = memoryNonceStore({ maxEntries: 50_000 })
 * sigv4({ credentials, region: 'eu', service: 'notes', nonce: { store: nonces } })
 */
export function memoryNonceStore(options?: MemoryNonceStoreOptions): NonceStore {
  const parsed = parseOptions('memoryNonceStore', optionsSchema, options)
  const maxEntries = parsed.maxEntries ?? 100_000
  const clock = parsed.clock ?? systemClock
  const entries = new Map<string, number>()
  let nextSweep = Number.NEGATIVE_INFINITY
  // When the oldest entry may be forgotten; until then `prune` has nothing to drop and skips the
  // iterator it would otherwise create on every call. Stale values are only ever too early.
  let oldestUntil = Number.POSITIVE_INFINITY

  function prune(now: number): void {
    if (now < oldestUntil) return
    let dropped = 0
    for (const [nonce, until] of entries) {
      if (until > now || dropped === pruneStep) {
        oldestUntil = until
        return
      }
      entries.delete(nonce)
      dropped++
    }
    oldestUntil = Number.POSITIVE_INFINITY
  }

  function sweep(now: number): void {
    if (now < nextSweep) return
    let earliest = Number.POSITIVE_INFINITY
    for (const [nonce, until] of entries) {
      if (until <= now) entries.delete(nonce)
      else if (until < earliest) earliest = until
    }
    nextSweep = earliest
    oldestUntil = Number.NEGATIVE_INFINITY
  }

  return {
    record(nonce, ttlMs) {
      const now = clock.now()
      const until = entries.get(nonce)
      if (until !== undefined) {
        if (until > now) return false
        entries.delete(nonce)
      }
      prune(now)
      if (entries.size >= maxEntries) {
        sweep(now)
        if (entries.size >= maxEntries) throw new NonceStoreFullError(maxEntries)
      }
      const expires = now + (ttlMs >= 1 ? Math.ceil(ttlMs) : 1)
      if (entries.size === 0) oldestUntil = expires
      entries.set(nonce, expires)
      if (expires < nextSweep) nextSweep = expires
      return true
    },
  }
}
