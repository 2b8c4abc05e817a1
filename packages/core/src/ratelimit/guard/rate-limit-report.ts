import type { LimitSource } from '../rate-limiter.js'

/**
 * What one limiter said about a request, as `rateLimit` guards record it in
 * `outcome.facts.rateLimit` (read it with {@link rateLimitReports}). One report per limiter
 * consulted, in the order they were consulted, across every `rateLimit` guard of the request.
 */
export interface RateLimitReport {
  /** The limiter's name, as in the `RateLimit` and `RateLimit-Policy` headers. */
  readonly limiter: string
  /** The limiter's capacity or window limit, in units of cost. */
  readonly limit: number
  /** The limiter's period in ms: the window, or the time a token bucket takes to refill from empty. */
  readonly period: number
  /** Whole units still available after this request, never negative. */
  readonly remaining: number
  /** ms until the key is fully replenished. */
  readonly reset: number
  /** ms until this request's cost would be admitted; 0 when it was. */
  readonly retryAfter: number
  /** Whether this limiter admitted the request. A free request (cost 0) is always admitted. */
  readonly allowed: boolean
  /** What decided: the store, the local block cache, the insurance limiter, or the failure policy. */
  readonly source: LimitSource
}

/** The reports the `rateLimit` guards recorded for a request, in `facts` (an outcome's or a guard context's). */
export function rateLimitReports(facts: Readonly<Record<string, unknown>>): readonly RateLimitReport[] {
  return (facts.rateLimit as readonly RateLimitReport[] | undefined) ?? []
}
