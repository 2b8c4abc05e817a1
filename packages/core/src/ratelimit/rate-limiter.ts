import type { LimitPolicy } from './limit-policy.js'

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
