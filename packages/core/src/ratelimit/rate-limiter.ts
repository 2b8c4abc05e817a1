import type { LimitPolicy } from './limit-policy.js'
import type { MemoryStore } from './memory-store.js'

/** Where a result came from, for events and debugging. */
export type LimitSource =
  /** The store decided. */
  | 'store'
  /** The local block cache answered: the key was denied earlier and its retry time has not come. */
  | 'block-cache'
  /** The store failed and the insurance limiter decided. */
  | 'insurance'
  /** The store failed and the `fail` policy decided. */
  | 'fail-open'
  | 'fail-closed'

/** The answer of {@link RateLimiter.limit} and {@link RateLimiter.peek}. */
export interface RateLimitResult {
  /** Whether the request is admitted. */
  readonly allowed: boolean
  /** The limiter's capacity or window limit. */
  readonly limit: number
  /** Whole units still admitted, never negative. */
  readonly remaining: number
  /** ms until the key is fully replenished. */
  readonly reset: number
  /** ms until the same cost would be admitted; 0 when allowed. */
  readonly retryAfter: number
  /** What decided. */
  readonly source: LimitSource
}

/** Per-call options of {@link RateLimiter.limit}. */
export interface LimitCallOptions {
  /** Units to take, integer or fractional, > 0 and ≤ the limit. Default: 1. */
  readonly cost?: number
}

/** A configured limiter: an algorithm, its parameters, a store and a failure policy. */
export interface RateLimiter {
  /** The name that namespaces its keys in the store and names it in headers and events. */
  readonly name: string
  /** The normalized parameters. */
  readonly policy: LimitPolicy
  /** Takes `cost` units for `key` when they are available. */
  limit(key: string, options?: LimitCallOptions): Promise<RateLimitResult>
  /** Reports what {@link limit} would answer for one unit, without taking anything. */
  peek(key: string): Promise<RateLimitResult>
  /** Forgets `key`'s state (and its local block), so it starts full again. */
  reset(key: string): Promise<void>
}

/**
 * A limiter whose counters live in process ({@link MemoryStore}, the default store): besides the
 * promise-returning methods, it decides synchronously, with the same answers, for callers on a hot
 * path that would rather not pay a promise and a microtask per decision.
 */
export interface SyncRateLimiter extends RateLimiter {
  /**
   * What {@link RateLimiter.limit} answers, returned directly.
   *
   * While the store fails (a memory store fails only when its clock throws), the answer comes from
   * `insurance` when that limiter is a {@link SyncRateLimiter} too, otherwise from the `fail` policy.
   *
   * @throws {SecRateLimitError} when the key or the cost is invalid (where `limit` rejects).
   */
  limitSync(key: string, options?: LimitCallOptions): RateLimitResult
  /**
   * What {@link RateLimiter.peek} answers, returned directly.
   *
   * @throws {SecRateLimitError} when the key is invalid.
   */
  peekSync(key: string): RateLimitResult
}

/** The options that keep a limiter's counters in process: no `store` (the default), or a `memoryStore()`. */
export interface InProcessStoreOption {
  /** A store made by `memoryStore()`. Default: a new `memoryStore()` for this limiter. */
  readonly store?: MemoryStore
}
