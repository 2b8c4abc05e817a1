/** How a limiter counts. */
export type LimitAlgorithm = 'token-bucket' | 'sliding-window' | 'fixed-window' | 'sliding-log'

/**
 * A limiter's validated parameters: everything a store needs to decide, in one normalized shape
 * that the memory store (in TypeScript) and the Redis store (in Lua) read alike.
 *
 * - Token bucket (GCRA): `limit` is the capacity, `period` the ms to refill an empty bucket
 *   (`capacity * interval / refillRate`); one unit of cost is emitted every `period / limit` ms.
 * - Windows: `limit` units per `period` ms. Windows are aligned to multiples of `period` on the
 *   store's clock.
 */
export interface LimitPolicy {
  readonly algorithm: LimitAlgorithm
  /** The most cost the limiter holds at once: the bucket's capacity or the window's limit. */
  readonly limit: number
  /** The refill time of an empty bucket, or the window length, in ms. */
  readonly period: number
}

/** What a store answers for one decision. Times are ms relative to the store's clock at the decision. */
export interface LimitDecision {
  /** Whether the cost was admitted (and recorded). Always `true` for a peek that would admit one unit. */
  readonly allowed: boolean
  /** Whole units of cost still admitted after this decision, never negative. */
  readonly remaining: number
  /** ms until the key is fully replenished (0 when it already is). */
  readonly reset: number
  /** ms until the same cost would be admitted; 0 when allowed. */
  readonly retryAfter: number
}

/**
 * Where limiters keep their state. A decision must be atomic per key: concurrent decisions on one
 * key admit exactly what the algorithm allows. Keys arrive already namespaced by the limiter.
 */
export interface RateLimitStore {
  /** A short name for events and errors, e.g. `memory`, `redis`. */
  readonly kind: string
  /**
   * Decides whether `cost` units are admitted for `key` and records them when they are.
   * A `cost` of 0 only reads (a peek): it records nothing and reports `allowed` as whether one unit
   * would be admitted. Callers have validated `cost` (finite, 0 ≤ cost ≤ policy.limit).
   */
  decide(policy: LimitPolicy, key: string, cost: number): LimitDecision | Promise<LimitDecision>
  /** Forgets the state of `key`, so it starts full again. */
  reset(policy: LimitPolicy, key: string): void | Promise<void>
}
