import * as v from 'valibot'
import { parseOptions } from '../config/index.js'
import { decideFixedWindow, type FixedWindowState } from './algorithms/fixed-window.js'
import { decideSlidingLog, emptySlidingLog, type SlidingLogState } from './algorithms/sliding-log.js'
import { decideSlidingWindow, type SlidingWindowState } from './algorithms/sliding-window.js'
import { decideTokenBucket, type TokenBucketState } from './algorithms/token-bucket.js'
import type { LimitDecision, LimitPolicy, RateLimitStore } from './limit-policy.js'
import { KeyTable } from './memory/key-table.js'

/** A monotonic source of time for the memory store. */
export interface MemoryStoreClock {
  /** Milliseconds on a clock that never goes back (any origin). */
  now(): number
}

/** Options of {@link memoryStore}. */
export interface MemoryStoreOptions {
  /**
   * The most keys held at once, an integer from 1 to 10,000,000. When a new key arrives at the
   * bound, one key is evicted (see {@link memoryStore} for which). Memory grows with the keys
   * actually held, not with this bound. Default: `100_000`.
   */
  readonly maxKeys?: number
  /**
   * The clock, in ms. It must not go back: a wall clock that is set back would hand out capacity
   * early. Inject one in tests. Default: `performance.timeOrigin + performance.now()` (monotonic).
   */
  readonly clock?: MemoryStoreClock
}

/** The in-process store returned by {@link memoryStore}. Decisions are synchronous. */
export interface MemoryStore extends RateLimitStore {
  /** Always `memory`. */
  readonly kind: 'memory'
  /** Keys currently held, at most `maxKeys`. */
  readonly size: number
  /** Decides in O(1) (the sliding log: amortized O(1), O(limit) to compute a denial's retry time). */
  decide(policy: LimitPolicy, key: string, cost: number): LimitDecision
  /** Forgets `key`, so it starts full again. */
  reset(policy: LimitPolicy, key: string): void
}

const optionsSchema = v.strictObject({
  maxKeys: v.optional(
    v.pipe(
      v.number('Expected a number of keys'),
      v.integer('Expected an integer number of keys'),
      v.minValue(1, 'Expected at least 1 key'),
      v.maxValue(
        10_000_000,
        'Expected at most 10,000,000 keys; use a shared store such as Redis beyond that',
      ),
    ),
  ),
  clock: v.optional(
    v.custom<MemoryStoreClock>(
      (x) => typeof (x as MemoryStoreClock | null)?.now === 'function',
      'Expected { now(): number }',
    ),
  ),
})

const tokenBucketKind = 1
const fixedWindowKind = 2
const slidingWindowKind = 3
const slidingLogKind = 4

function monotonicClock(): MemoryStoreClock {
  const origin = performance.timeOrigin
  return { now: () => origin + performance.now() }
}

class BoundedMemoryStore implements MemoryStore {
  readonly kind = 'memory'
  readonly #table: KeyTable
  readonly #clock: MemoryStoreClock
  // Scratch records the algorithms read and write; reused so a decision allocates only its answer.
  readonly #bucket: TokenBucketState = { at: Number.NEGATIVE_INFINITY, debt: 0 }
  readonly #fixed: FixedWindowState = { expires: Number.NEGATIVE_INFINITY, count: 0 }
  readonly #sliding: SlidingWindowState = { expires: Number.NEGATIVE_INFINITY, previous: 0, current: 0 }
  #spareLog: SlidingLogState = emptySlidingLog()

  constructor(maxKeys: number, clock: MemoryStoreClock) {
    this.#table = new KeyTable(maxKeys, (slot) => this.#replenishedAt(slot))
    this.#clock = clock
  }

  get size(): number {
    return this.#table.size
  }

  decide(policy: LimitPolicy, key: string, cost: number): LimitDecision {
    const now = this.#clock.now()
    switch (policy.algorithm) {
      case 'token-bucket':
        return this.#tokenBucket(policy, key, cost, now)
      case 'fixed-window':
        return this.#fixedWindow(policy, key, cost, now)
      case 'sliding-window':
        return this.#slidingWindow(policy, key, cost, now)
      case 'sliding-log':
        return this.#slidingLog(policy, key, cost, now)
    }
  }

  reset(_policy: LimitPolicy, key: string): void {
    this.#table.delete(key)
  }

  #tokenBucket(policy: LimitPolicy, key: string, cost: number, now: number): LimitDecision {
    const table = this.#table
    const state = this.#bucket
    const slot = table.find(key)
    if (slot !== undefined && table.kind(slot) === tokenBucketKind) {
      const at = slot * table.stride
      state.at = table.values[at] as number
      state.debt = table.values[at + 1] as number
    } else {
      state.at = Number.NEGATIVE_INFINITY
      state.debt = 0
    }
    const decision = decideTokenBucket(state, now, policy, cost)
    if (slot !== undefined) table.touch(slot)
    if (decision.allowed && cost > 0) {
      const at = this.#claim(slot, key, now, tokenBucketKind) * table.stride
      table.values[at] = state.at
      table.values[at + 1] = state.debt
    }
    return decision
  }

  #fixedWindow(policy: LimitPolicy, key: string, cost: number, now: number): LimitDecision {
    const table = this.#table
    const state = this.#fixed
    const slot = table.find(key)
    if (slot !== undefined && table.kind(slot) === fixedWindowKind) {
      const at = slot * table.stride
      state.expires = table.values[at] as number
      state.count = table.values[at + 1] as number
    } else {
      state.expires = Number.NEGATIVE_INFINITY
      state.count = 0
    }
    const decision = decideFixedWindow(state, now, policy, cost)
    if (slot !== undefined) table.touch(slot)
    if (decision.allowed && cost > 0) {
      const at = this.#claim(slot, key, now, fixedWindowKind) * table.stride
      table.values[at] = state.expires
      table.values[at + 1] = state.count
    }
    return decision
  }

  #slidingWindow(policy: LimitPolicy, key: string, cost: number, now: number): LimitDecision {
    const table = this.#table
    const state = this.#sliding
    let slot = table.find(key)
    if (slot !== undefined && table.kind(slot) === slidingWindowKind) {
      const at = slot * table.stride
      state.expires = table.values[at] as number
      state.previous = table.values[at + 1] as number
      state.current = table.values[at + 2] as number
    } else {
      state.expires = Number.NEGATIVE_INFINITY
      state.previous = 0
      state.current = 0
    }
    const decision = decideSlidingWindow(state, now, policy, cost)
    if (slot !== undefined) table.touch(slot)
    if (decision.allowed && cost > 0) {
      slot = this.#claim(slot, key, now, slidingWindowKind)
      table.useStride(3)
      const at = slot * table.stride
      table.values[at] = state.expires
      table.values[at + 1] = state.previous
      table.values[at + 2] = state.current
    }
    return decision
  }

  #slidingLog(policy: LimitPolicy, key: string, cost: number, now: number): LimitDecision {
    const table = this.#table
    let slot = table.find(key)
    const stored = slot !== undefined && table.kind(slot) === slidingLogKind ? table.logs[slot] : undefined
    const log = stored ?? this.#spareLog
    const decision = decideSlidingLog(log, now, policy, cost)
    if (slot !== undefined) table.touch(slot)
    if (decision.allowed && cost > 0) {
      slot = this.#claim(slot, key, now, slidingLogKind)
      if (stored === undefined) {
        table.logs[slot] = log
        this.#spareLog = emptySlidingLog()
      }
      table.values[slot * table.stride] = (log.entries[log.entries.length - 2] as number) + policy.period
    }
    return decision
  }

  /** When the slot's state is fully replenished: a bucket's `at + debt`, else the stored end. */
  #replenishedAt(slot: number): number {
    const table = this.#table
    const at = slot * table.stride
    const time = table.values[at] as number
    return table.kind(slot) === tokenBucketKind ? time + (table.values[at + 1] as number) : time
  }

  /** The slot to write `kind` state into: the key's own, or a new one. */
  #claim(slot: number | undefined, key: string, now: number, kind: number): number {
    const table = this.#table
    if (slot === undefined) {
      const added = table.add(key, now)
      table.setKind(added, kind)
      return added
    }
    if (table.kind(slot) !== kind) {
      // The key held another algorithm's state (two limiters sharing a name): it is replaced.
      if (table.kind(slot) === slidingLogKind) table.logs[slot] = undefined
      table.setKind(slot, kind)
    }
    return slot
  }
}

/**
 * Creates an in-process rate limit store: the default store of the limiters, for one process.
 * Decisions are synchronous, O(1), allocate only their answer, and use no timer: a key's state is
 * read lazily, so an expired window or a refilled bucket simply reads as full.
 *
 * Memory is bounded by `maxKeys`. A key costs one `Map` entry (its string key and a slot number)
 * and typed array cells rather than an object: two numbers of state (three once the store serves a
 * sliding window), two list links and a tag, about 60 bytes besides the key string; a sliding log
 * also holds its entries.
 *
 * Eviction, when a new key arrives at the bound, is a segmented LRU that a flood of new keys cannot
 * use to erase active clients' counters:
 * - a new key enters a probation segment; a key seen again moves to a protected segment that holds
 *   up to 80% of `maxKeys` (when it overflows, its least recently seen key goes back to probation);
 * - the victim is, in order: the least recently seen probation key if its state is fully replenished,
 *   the least recently seen protected key if its state is fully replenished (neither loses anything:
 *   a full bucket or an expired window reads the same as no state), otherwise the least recently seen
 *   probation key.
 * So keys seen once only evict each other: a flood of one-off keys (spoofed IPs, random API keys)
 * cannot displace clients seen at least twice as long as those fit in the protected 80%. Every
 * decision counts as seeing the key, refused ones included, so a client that keeps hammering while
 * blocked keeps its counter.
 *
 * @throws {SecConfigError} when an option is unknown or out of range.
 */
export function memoryStore(options?: MemoryStoreOptions): MemoryStore {
  const parsed = parseOptions('memoryStore', optionsSchema, options)
  return new BoundedMemoryStore(parsed.maxKeys ?? 100_000, parsed.clock ?? monotonicClock())
}
