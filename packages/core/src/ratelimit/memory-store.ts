import * as v from 'valibot'
import { parseOptions } from '../config/index.js'
import { type DecisionRecord, decisionRecord } from './algorithms/decision-record.js'
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

/**
 * A memory store's decisions for one limiter: keys arrive bare (the limiter's name is bound once),
 * and time is read by the caller from {@link clock}, once per decision.
 */
export interface MemoryLimiterStore {
  /** The store's clock. */
  readonly clock: MemoryStoreClock
  /**
   * What the store's `decide(policy, name + ':' + key, cost)` answers at `now`. The answer is one
   * record that every call overwrites: read it before the next call.
   */
  decide(key: string, cost: number, now: number): LimitDecision
  /** Forgets `key`, as the store's `reset(policy, name + ':' + key)` does. */
  reset(key: string): void
}

const origin = performance.timeOrigin
// Read once: `performance` is an accessor on the global object in some runtimes (Node among them).
const performanceClock = performance

/** The default clock of memory stores and limiters: `performance.timeOrigin + performance.now()`. */
export const monotonicClock: MemoryStoreClock = { now: () => origin + performanceClock.now() }

class BoundedMemoryStore implements MemoryStore {
  readonly kind = 'memory'
  readonly #table: KeyTable
  readonly #clock: MemoryStoreClock
  // Scratch records the algorithms read and write, so a bound decision allocates nothing.
  readonly #bucket: TokenBucketState = { at: Number.NEGATIVE_INFINITY, debt: 0 }
  readonly #fixed: FixedWindowState = { expires: Number.NEGATIVE_INFINITY, count: 0 }
  readonly #sliding: SlidingWindowState = { expires: Number.NEGATIVE_INFINITY, previous: 0, current: 0 }
  readonly #answer = decisionRecord()
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
    const space = this.#spaceOf(key)
    const own = space === 0 ? key : key.slice(key.indexOf(':') + 1)
    switch (policy.algorithm) {
      case 'token-bucket':
        return this.#tokenBucket(policy, space, own, cost, now, decisionRecord())
      case 'fixed-window':
        return this.#fixedWindow(policy, space, own, cost, now, decisionRecord())
      case 'sliding-window':
        return this.#slidingWindow(policy, space, own, cost, now, decisionRecord())
      case 'sliding-log':
        return this.#slidingLog(policy, space, own, cost, now, decisionRecord())
    }
  }

  reset(_policy: LimitPolicy, key: string): void {
    const space = this.#spaceOf(key)
    this.#table.delete(space === 0 ? key : key.slice(key.indexOf(':') + 1), space)
  }

  /**
   * Decisions for the limiter `name`, in a namespace of its own that holds the keys
   * `decide(policy, name + ':' + key)` would: both reach the same state. `undefined` when the store
   * holds too many namespaces already; the limiter then passes whole keys.
   */
  bind(name: string, policy: LimitPolicy): MemoryLimiterStore | undefined {
    const space = this.#table.space(name)
    if (space === undefined) return undefined
    const answer = this.#answer
    // One function per algorithm, chosen once, so no call switches on the algorithm.
    let decide: MemoryLimiterStore['decide']
    switch (policy.algorithm) {
      case 'token-bucket':
        decide = (key, cost, now) => this.#tokenBucket(policy, space, key, cost, now, answer)
        break
      case 'fixed-window':
        decide = (key, cost, now) => this.#fixedWindow(policy, space, key, cost, now, answer)
        break
      case 'sliding-window':
        decide = (key, cost, now) => this.#slidingWindow(policy, space, key, cost, now, answer)
        break
      case 'sliding-log':
        decide = (key, cost, now) => this.#slidingLog(policy, space, key, cost, now, answer)
        break
    }
    return { clock: this.#clock, decide, reset: (key) => this.#table.delete(key, space) }
  }

  /** The namespace of a whole key: its limiter's when it starts with a bound limiter's `name:`. */
  #spaceOf(key: string): number {
    const colon = key.indexOf(':')
    return colon > 0 ? (this.#table.existingSpace(key.slice(0, colon)) ?? 0) : 0
  }

  #tokenBucket(
    policy: LimitPolicy,
    space: number,
    key: string,
    cost: number,
    now: number,
    answer: DecisionRecord,
  ): LimitDecision {
    const table = this.#table
    const state = this.#bucket
    const slot = table.find(key, space)
    const held = slot !== undefined && table.kind(slot) === tokenBucketKind
    if (held) {
      const at = slot * table.stride
      state.at = table.values[at] as number
      state.debt = table.values[at + 1] as number
    } else {
      state.at = Number.NEGATIVE_INFINITY
      state.debt = 0
    }
    decideTokenBucket(state, now, policy, cost, answer)
    if (slot !== undefined) table.touch(slot)
    if (answer.allowed && cost > 0) {
      const at = (held ? slot : this.#claim(slot, space, key, now, tokenBucketKind)) * table.stride
      table.values[at] = state.at
      table.values[at + 1] = state.debt
    }
    return answer
  }

  #fixedWindow(
    policy: LimitPolicy,
    space: number,
    key: string,
    cost: number,
    now: number,
    answer: DecisionRecord,
  ): LimitDecision {
    const table = this.#table
    const state = this.#fixed
    const slot = table.find(key, space)
    const held = slot !== undefined && table.kind(slot) === fixedWindowKind
    if (held) {
      const at = slot * table.stride
      state.expires = table.values[at] as number
      state.count = table.values[at + 1] as number
    } else {
      state.expires = Number.NEGATIVE_INFINITY
      state.count = 0
    }
    decideFixedWindow(state, now, policy, cost, answer)
    if (slot !== undefined) table.touch(slot)
    if (answer.allowed && cost > 0) {
      const at = (held ? slot : this.#claim(slot, space, key, now, fixedWindowKind)) * table.stride
      table.values[at] = state.expires
      table.values[at + 1] = state.count
    }
    return answer
  }

  #slidingWindow(
    policy: LimitPolicy,
    space: number,
    key: string,
    cost: number,
    now: number,
    answer: DecisionRecord,
  ): LimitDecision {
    const table = this.#table
    const state = this.#sliding
    const slot = table.find(key, space)
    const held = slot !== undefined && table.kind(slot) === slidingWindowKind
    if (held) {
      const at = slot * table.stride
      state.expires = table.values[at] as number
      state.previous = table.values[at + 1] as number
      state.current = table.values[at + 2] as number
    } else {
      state.expires = Number.NEGATIVE_INFINITY
      state.previous = 0
      state.current = 0
    }
    decideSlidingWindow(state, now, policy, cost, answer)
    if (slot !== undefined) table.touch(slot)
    if (answer.allowed && cost > 0) {
      const own = held ? slot : this.#claim(slot, space, key, now, slidingWindowKind)
      table.useStride(3)
      const at = own * table.stride
      table.values[at] = state.expires
      table.values[at + 1] = state.previous
      table.values[at + 2] = state.current
    }
    return answer
  }

  #slidingLog(
    policy: LimitPolicy,
    space: number,
    key: string,
    cost: number,
    now: number,
    answer: DecisionRecord,
  ): LimitDecision {
    const table = this.#table
    let slot = table.find(key, space)
    const stored = slot !== undefined && table.kind(slot) === slidingLogKind ? table.logs[slot] : undefined
    const log = stored ?? this.#spareLog
    decideSlidingLog(log, now, policy, cost, answer)
    if (slot !== undefined) table.touch(slot)
    if (answer.allowed && cost > 0) {
      slot = this.#claim(slot, space, key, now, slidingLogKind)
      if (stored === undefined) {
        table.logs[slot] = log
        this.#spareLog = emptySlidingLog()
      }
      table.values[slot * table.stride] = (log.entries[log.entries.length - 2] as number) + policy.period
    }
    return answer
  }

  /** When the slot's state is fully replenished: a bucket's `at + debt`, else the stored end. */
  #replenishedAt(slot: number): number {
    const table = this.#table
    const at = slot * table.stride
    const time = table.values[at] as number
    return table.kind(slot) === tokenBucketKind ? time + (table.values[at + 1] as number) : time
  }

  /** The slot to write `kind` state into: the key's own, or a new one. */
  #claim(slot: number | undefined, space: number, key: string, now: number, kind: number): number {
    const table = this.#table
    if (slot === undefined) {
      const added = table.add(key, now, space)
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
 * Decisions are synchronous, O(1), and use no timer: a key's state is read lazily, so an expired
 * window or a refilled bucket simply reads as full. A limiter on this store hands it the key as it
 * was given (each limiter name has a namespace of its own), and gets its answer without an
 * allocation besides its result.
 *
 * Memory is bounded by `maxKeys`. A key costs one `Map` entry (the key string as given, and a slot
 * number) and typed array cells rather than an object: two numbers of state (three once the store
 * serves a sliding window), two list links, a tag and a namespace, about 70 bytes besides the key
 * string (80 with three numbers); a sliding log also holds its entries.
 *
 * Eviction, when a new key arrives at the bound, is a segmented LRU that a flood of new keys cannot
 * use to erase active clients' counters:
 * - a new key enters a probation segment, in order of arrival; a key seen again moves to a
 *   protected segment. When a key must be evicted, the protected segment is brought back to 80% of
 *   `maxKeys`, two keys per eviction at most: its oldest keys go back to probation, except that a
 *   key seen again since it entered the segment gets a second chance first (a CLOCK, close to
 *   least-recently-seen order at the cost of one bit per decision rather than a move in a list);
 * - the victim is, in order: the oldest probation key if its state is fully replenished, the
 *   protected key next in line if its state is fully replenished (neither loses anything: a full
 *   bucket or an expired window reads the same as no state), otherwise the oldest probation key.
 * So keys seen once only evict each other: a flood of one-off keys (spoofed IPs, random API keys)
 * cannot displace clients seen at least twice as long as those fit in the protected 80%. Every
 * decision counts as seeing the key, refused ones included, so a client that keeps hammering while
 * blocked keeps its counter.
 *
 * @throws {SecConfigError} when an option is unknown or out of range.
 */
export function memoryStore(options?: MemoryStoreOptions): MemoryStore {
  const parsed = parseOptions('memoryStore', optionsSchema, options)
  return new BoundedMemoryStore(parsed.maxKeys ?? 100_000, parsed.clock ?? monotonicClock)
}

/**
 * The decisions of the limiter `name` with `policy` on `store` when it is a store made by
 * {@link memoryStore} (and has room for one more namespace); `undefined` for any other store.
 */
export function bindMemoryStore(
  store: RateLimitStore,
  name: string,
  policy: LimitPolicy,
): MemoryLimiterStore | undefined {
  return store instanceof BoundedMemoryStore ? store.bind(name, policy) : undefined
}
