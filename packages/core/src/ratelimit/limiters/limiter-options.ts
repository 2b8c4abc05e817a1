import * as v from 'valibot'
import { configError, parseOptions } from '../../config/index.js'
import { type Duration, parseDuration } from '../../duration/index.js'
import type { EventSink } from '../../events/index.js'
import type { Clock } from '../../pipeline/index.js'
import type { LimitAlgorithm, LimitPolicy, RateLimitStore } from '../limit-policy.js'
import { memoryStore, monotonicClock } from '../memory-store.js'
import type { RateLimiter } from '../rate-limiter.js'
import { BlockCache } from './block-cache.js'

/** Options of the local block cache. */
export interface BlockCacheOptions {
  /**
   * The most denied keys remembered at once. When full, the oldest block is forgotten, which only
   * sends that key back to the store. Default: `10_000`.
   */
  readonly maxKeys?: number
}

/** Options every limiter factory takes besides its algorithm's parameters. */
export interface LimiterOptions {
  /**
   * Where the counters live. Default: a new `memoryStore()` for this limiter (given `clock`), so
   * limits are per process. Use `redisStore(redis)` from `@sec/redis` to share them between
   * processes.
   */
  readonly store?: RateLimitStore
  /**
   * The limiter's name: it namespaces keys in the store (`${name}:${key}`) and names the limiter in
   * `RateLimit` headers and events. 1 to 64 characters from `A-Z a-z 0-9 _ . -`.
   *
   * Default: derived from the algorithm and its parameters, such as `tb-100-10000` (token bucket,
   * 100 units refilled in 10000 ms) or `sw-60-60000`, so every process configured alike shares its
   * counters in a shared store. Limiters that must count separately on one store (a search limit and
   * a report limit with the same numbers) need names of their own.
   */
  readonly name?: string
  /**
   * What to answer while the store is down (it threw, rejected or timed out) and there is no
   * `insurance`, or the insurance could not decide:
   * - `'closed'`: deny, with `retryAfter` = `probeInterval`. Abuse stays limited; everyone waits for the store.
   * - `'open'`: admit, counting nothing. The API stays up; limits are off until the store is back.
   *
   * Default: `'closed'`.
   */
  readonly fail?: 'open' | 'closed'
  /**
   * A limiter that decides while the store is down, typically the same limiter on the default memory
   * store (each process then limits on its own; divide the limit by the number of processes to keep
   * the total). It gets the same key and cost. Default: none (`fail` decides).
   */
  readonly insurance?: RateLimiter
  /**
   * The local block cache: once the store denies a key, calls for that key with at least the same
   * cost are denied in-process until the retry time the store gave, without a store call. `false`
   * turns it off. Default: on, `{ maxKeys: 10_000 }`.
   */
  readonly blockCache?: BlockCacheOptions | false
  /** Where `ratelimit.store-unavailable` and `ratelimit.store-recovered` events go. Default: nowhere. */
  readonly events?: EventSink | readonly EventSink[]
  /**
   * The clock of the block cache, the probes and event times, in ms; also given to the default memory
   * store. It should never go back. Default: `performance.timeOrigin + performance.now()` (monotonic).
   */
  readonly clock?: Clock
  /**
   * While the store is down, how often one call is let through to it to see whether it is back, as
   * a number of ms or a string such as `'1s'`. Also the `retryAfter` of a `fail: 'closed'` denial.
   * From 1 ms to `'1h'`. Default: `'1s'`.
   */
  readonly probeInterval?: Duration
}

/** Everything a limiter needs besides its policy, resolved once at construction. */
export interface LimiterSettings {
  readonly name: string
  readonly store: RateLimitStore
  readonly clock: Clock
  /** `undefined` when the block cache is off. */
  readonly blocks: BlockCache | undefined
  readonly fail: 'open' | 'closed'
  readonly insurance: RateLimiter | undefined
  /** ms. */
  readonly probeInterval: number
  readonly sinks: readonly EventSink[]
}

/** The longest window, interval or bucket refill time: one year, in ms. */
export const maxPeriod = 31_536_000_000

const namePattern = /^[A-Za-z0-9_.-]{1,64}$/

const namePrefixes: Readonly<Record<LimitAlgorithm, string>> = {
  'token-bucket': 'tb',
  'sliding-window': 'sw',
  'fixed-window': 'fw',
  'sliding-log': 'sl',
}

function isStore(value: unknown): value is RateLimitStore {
  const store = value as RateLimitStore | null
  return (
    typeof store === 'object' &&
    store !== null &&
    typeof store.decide === 'function' &&
    typeof store.reset === 'function' &&
    typeof store.kind === 'string'
  )
}

function isLimiter(value: unknown): value is RateLimiter {
  const limiter = value as RateLimiter | null
  return (
    typeof limiter === 'object' &&
    limiter !== null &&
    typeof limiter.limit === 'function' &&
    typeof limiter.peek === 'function' &&
    typeof limiter.reset === 'function' &&
    typeof limiter.name === 'string' &&
    typeof limiter.policy?.limit === 'number'
  )
}

const blockCacheSchema = v.strictObject(
  { maxKeys: v.optional(countSchema(10_000_000, 'Expected a whole number of keys from 1 to 10000000')) },
  'Expected false or { maxKeys }',
)

function resolveBlockCache(where: string, value: unknown): BlockCache | undefined {
  if (value === false) return undefined
  const options = value === undefined ? {} : parseOptions(`${where}.blockCache`, blockCacheSchema, value)
  return new BlockCache(options.maxKeys ?? 10_000)
}

const isFunction = (value: unknown): boolean => typeof value === 'function'

/** The schema of a {@link Duration}, checked further by {@link parseDuration}. */
export const durationSchema = v.union(
  [v.number(), v.string()],
  "Expected milliseconds as a number or a duration such as '1s', '1m', '1h'",
)

/** A schema for a whole number from 1 to `max`. */
export function countSchema(max: number, message: string) {
  return v.pipe(v.number(message), v.integer(message), v.minValue(1, message), v.maxValue(max, message))
}

/** The valibot entries of {@link LimiterOptions}, spread into each factory's strict schema. */
export const limiterOptionEntries = {
  store: v.optional(
    v.custom<RateLimitStore>(
      isStore,
      'Expected a rate limit store ({ kind, decide, reset }) such as memoryStore() or redisStore(redis)',
    ),
  ),
  name: v.optional(
    v.pipe(
      v.string('Expected a string'),
      v.regex(
        namePattern,
        "Expected 1 to 64 characters from A-Z a-z 0-9 _ . - (it goes into headers and store keys), e.g. 'search'",
      ),
    ),
  ),
  fail: v.optional(v.picklist(['open', 'closed'], "Expected 'open' or 'closed'")),
  insurance: v.optional(
    v.custom<RateLimiter>(
      isLimiter,
      'Expected a rate limiter, e.g. the same factory called without a store (it then uses memory)',
    ),
  ),
  blockCache: v.optional(v.unknown()),
  events: v.optional(
    v.union(
      [v.custom<EventSink>(isFunction), v.array(v.custom<EventSink>(isFunction))],
      'Expected an event sink (a function) or a list of them',
    ),
  ),
  clock: v.optional(
    v.custom<Clock>((x) => typeof (x as Clock | null)?.now === 'function', 'Expected { now(): number }'),
  ),
  probeInterval: v.optional(durationSchema),
}

/** The parsed common options, as valibot gives them. */
export type ParsedLimiterOptions = v.InferOutput<v.ObjectSchema<typeof limiterOptionEntries, undefined>>

/** Returns a required option's parsed value, or throws naming it. */
export function required<T>(path: string, value: T | undefined, example: string): T {
  if (value === undefined) return configError(path, `is required, e.g. ${example}.`)
  return value
}

/** Parses a window length, interval or probe interval: from 1 ms to `max` ms. */
export function boundedDuration(path: string, value: unknown, max: number, maxText: string): number {
  const ms = parseDuration(path, value)
  if (ms < 1 || ms > max) configError(path, `must be at least 1 ms and at most ${maxText}; got ${ms} ms.`)
  return ms
}

/** The name a limiter gets when none is given: the same in every process configured alike. */
export function defaultLimiterName(policy: LimitPolicy): string {
  return `${namePrefixes[policy.algorithm]}-${policy.limit}-${policy.period}`
}

/** Resolves the common options of the factory `where` for a limiter of `policy`. */
export function resolveLimiterSettings(
  where: string,
  options: ParsedLimiterOptions,
  policy: LimitPolicy,
): LimiterSettings {
  const probeInterval =
    options.probeInterval === undefined
      ? 1000
      : boundedDuration(`${where}.probeInterval`, options.probeInterval, 3_600_000, "'1h'")
  const blocks = resolveBlockCache(where, options.blockCache)
  // The default memory store's own clock object, so the limiter and that store share one reading.
  const clock = options.clock ?? monotonicClock
  const events = options.events
  return {
    name: options.name ?? defaultLimiterName(policy),
    store: options.store ?? memoryStore(options.clock === undefined ? undefined : { clock }),
    clock,
    blocks,
    fail: options.fail ?? 'closed',
    insurance: options.insurance,
    probeInterval,
    sinks: events === undefined ? [] : Array.isArray(events) ? events : [events as EventSink],
  }
}
