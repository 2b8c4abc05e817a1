import { challenge, type Guard, type GuardContext, type GuardResult } from '../../pipeline/index.js'
import { catalogProblem } from '../../problem/index.js'
import type { LimitCallOptions, RateLimitResult, SyncRateLimiter } from '../rate-limiter.js'
import { ceilSeconds, type LimiterInfo, recordReport, writeHeaders } from './rate-limit-headers.js'
import { type RateLimitOptions, resolveRateLimit, type Tier } from './rate-limit-options.js'
import type { RateLimitReport } from './rate-limit-report.js'

// The problems are the same for every denial: built once, and they never name the key.
const rateLimited = catalogProblem('rate-limited', {
  detail: 'Too many requests. Wait for the number of seconds in Retry-After before retrying.',
})
const tooCostly = catalogProblem('rate-limited', {
  detail: 'This request costs more than the rate limit allows at once, so it can never be admitted.',
})
const unavailable = catalogProblem('rate-limit-unavailable', {
  detail: 'The rate limit cannot be checked right now. Retry after the number of seconds in Retry-After.',
})

/** `Retry-After` in whole seconds, rounded up so a client that waits that long is admitted; at least 1. */
function retryAfterSeconds(result: RateLimitResult): number {
  return Math.max(1, ceilSeconds(result.retryAfter))
}

function checkedCost(value: unknown, tier: Tier): number {
  if (typeof value !== 'number' || !(value >= 0) || value === Number.POSITIVE_INFINITY)
    throw new TypeError(
      `rateLimit: the cost function returned ${typeof value === 'number' ? value : `a ${typeof value}`}; expected a finite number of units, 0 or more.`,
    )
  if (tier.integerCosts && !Number.isInteger(value))
    throw new TypeError(
      `rateLimit: the cost function returned ${value}; a sliding log takes whole units only.`,
    )
  return value
}

/**
 * A guard that limits the rate of requests per client, user or API key, through one or more
 * `RateLimiter`s, with limits by tier.
 *
 * Per request it picks the tier from the principal, derives the key (see `RateLimitKey`), and
 * consults the tier's limiters in order, stopping at the first that denies. Every limiter
 * consulted is reported in `facts.rateLimit` (read them with `rateLimitReports`) and in the headers, on
 * admitted and refused responses alike; several `rateLimit` guards on one request (app-wide and
 * route) add up, and each rewrites the headers from all reports so far:
 *
 * ```http
 * RateLimit-Policy: "burst";q=100;w=60, "daily";q=5000;w=86400
 * RateLimit: "burst";r=57;t=26, "daily";r=4803;t=86400
 * X-RateLimit-Limit: 100
 * X-RateLimit-Remaining: 57
 * X-RateLimit-Reset: 26
 * ```
 *
 * `t` and `X-RateLimit-Reset` are the seconds until the limiter is fully replenished, rounded up;
 * for the limiter that refused the request, the seconds until it would admit it (the `Retry-After`
 * value), so that `Retry-After` never points earlier than the reset the headers announce. The
 * `X-RateLimit-*` headers describe the most restrictive limiter: the lowest remaining, then the
 * longest reset.
 *
 * A refusal is a 429 `rate-limited` problem with `Retry-After` in whole seconds (rounded up, at least
 * 1) and one `ratelimit.denied` event (the limiter's name, the key, with API keys hashed, and
 * `retryAfter` in ms). A limiter whose store is down and whose policy is `fail: 'closed'` gives a
 * 503 `rate-limit-unavailable` with `Retry-After` instead, without a `ratelimit.denied` event (the
 * limiter reports the outage). A cost above a limiter's limit is a 429 without `Retry-After` and
 * without consulting any limiter. Neither the problem nor its headers contain the key.
 *
 * Options are checked and header items built now; per request the guard does no option parsing:
 * a map lookup for the tier, a string for the key (a SHA-256 only for API keys and keys longer
 * than 256 characters), one call per limiter.
 *
 * @example
 * const burst = tokenBucket({ name: 'burst', capacity: 20, refillRate: 1, interval: '1s' })
 * const daily = slidingWindow({ name: 'daily', limit: 5000, window: '1d' })
 * createSecurity({ guards: [rateLimit({ limiter: [burst, daily] })] })
 */
export function rateLimit(options: RateLimitOptions): Guard {
  const { tierOf, keyOf, cost, ietf, legacy } = resolveRateLimit(options)
  // A limiter reads no options as a cost of 1, so the common case passes none.
  const staticCall: LimitCallOptions | undefined =
    typeof cost === 'number' && cost !== 1 ? { cost } : undefined

  function deny(ctx: GuardContext, info: LimiterInfo, result: RateLimitResult, key: string): GuardResult {
    const headers = { 'retry-after': String(retryAfterSeconds(result)) }
    if (result.source === 'fail-closed') return challenge(unavailable, headers)
    ctx.emit({ type: 'ratelimit.denied', limiter: info.name, key, retryAfter: result.retryAfter })
    return challenge(rateLimited, headers)
  }

  /** Records one limiter's answer; the denial when it refused the request. */
  function record(
    ctx: GuardContext,
    info: LimiterInfo,
    result: RateLimitResult,
    units: number,
    key: string,
  ): GuardResult {
    const admitted = units === 0 || result.allowed
    const report: RateLimitReport = {
      limiter: info.name,
      limit: info.limit,
      period: info.period,
      remaining: result.remaining,
      reset: result.reset,
      retryAfter: admitted ? 0 : result.retryAfter,
      allowed: admitted,
      source: result.source,
    }
    const resetSeconds = admitted ? ceilSeconds(result.reset) : retryAfterSeconds(result)
    recordReport(ctx, info, report, resetSeconds, ietf, legacy)
    return admitted ? undefined : deny(ctx, info, result, key)
  }

  async function consult(
    ctx: GuardContext,
    tier: Tier,
    units: number,
    call: LimitCallOptions | undefined,
    derived: string | Promise<string>,
  ): Promise<GuardResult> {
    const key = typeof derived === 'string' ? derived : await derived
    let decision: GuardResult
    for (const info of tier.limiters) {
      const result = units === 0 ? await info.limiter.peek(key) : await info.limiter.limit(key, call)
      decision = record(ctx, info, result, units, key)
      if (decision !== undefined) break
    }
    writeHeaders(ctx)
    return decision
  }

  // Limiters whose counters live in process answer without a promise, so a request through
  // them pays no microtask for the rate limit.
  function consultSync(
    ctx: GuardContext,
    tier: Tier,
    units: number,
    call: LimitCallOptions | undefined,
    key: string,
  ): GuardResult {
    let decision: GuardResult
    for (const info of tier.limiters) {
      const limiter = info.limiter as SyncRateLimiter
      const result = units === 0 ? limiter.peekSync(key) : limiter.limitSync(key, call)
      decision = record(ctx, info, result, units, key)
      if (decision !== undefined) break
    }
    writeHeaders(ctx)
    return decision
  }

  return {
    name: 'rate-limit',
    check(ctx) {
      const tier = tierOf(ctx.principal)
      const units = typeof cost === 'number' ? cost : checkedCost(cost(ctx), tier)
      if (units > tier.maxCost) return challenge(tooCostly)
      const call = typeof cost === 'number' ? staticCall : { cost: units }
      const derived = keyOf(ctx)
      if (tier.sync && typeof derived === 'string') return consultSync(ctx, tier, units, call, derived)
      return consult(ctx, tier, units, call, derived)
    },
  }
}
