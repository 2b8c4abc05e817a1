import type { GuardContext, ResponseHeaders } from '../../pipeline/index.js'
import type { RateLimiter } from '../rate-limiter.js'
import type { RateLimitReport } from './rate-limit-report.js'

/**
 * Which rate-limit headers a `rateLimit` guard sends:
 * - `'ietf'`: `RateLimit-Policy` and `RateLimit` (draft-ietf-httpapi-ratelimit-headers-10), one list
 *   item per limiter: `"burst";q=100;w=60` and `"burst";r=57;t=4`;
 * - `'legacy'`: `X-RateLimit-Limit`, `X-RateLimit-Remaining`, `X-RateLimit-Reset` (seconds), for the
 *   most restrictive limiter only;
 * - `'both'`: all five;
 * - `false`: none (the guard still records its reports in `facts.rateLimit`).
 */
export type RateLimitHeaderMode = 'both' | 'ietf' | 'legacy' | false

/** A limiter and the parts of its header items that never change, computed once. */
export interface LimiterInfo {
  readonly limiter: RateLimiter
  readonly name: string
  /** `policy.limit`, in units of cost. */
  readonly limit: number
  /** `policy.period`, in ms. */
  readonly period: number
  /** The sliding log takes integer costs only. */
  readonly integerCosts: boolean
  /** `q`, and `X-RateLimit-Limit`: the limit as a structured-field Integer. */
  readonly quota: string
  /** The `RateLimit-Policy` item, e.g. `"burst";q=100;w=60`. */
  readonly policyItem: string
  /** The start of the `RateLimit` item, e.g. `"burst";r=`. */
  readonly remainingPrefix: string
}

/** The largest structured-field Integer (RFC 9651 §3.3.1). */
const sfIntegerMax = 999_999_999_999_999

/** A count as a structured-field Integer: whole, never negative (`NaN` is 0), at most 15 digits. */
export function wholeUnits(value: number): number {
  return value >= 0 ? Math.min(Math.floor(value), sfIntegerMax) : 0
}

/** A duration in ms as whole seconds rounded up, never negative, at most 15 digits. */
export function ceilSeconds(ms: number): number {
  return ms > 0 ? Math.min(Math.ceil(ms / 1000), sfIntegerMax) : 0
}

/**
 * Precomputes a limiter's header items. The name is a valid sf-string as it is (the caller checked
 * it against `[A-Za-z0-9_.-]`), so it is quoted without escaping.
 */
export function describeLimiter(limiter: RateLimiter): LimiterInfo {
  const { name, policy } = limiter
  const quota = String(wholeUnits(policy.limit))
  return {
    limiter,
    name,
    limit: policy.limit,
    period: policy.period,
    integerCosts: policy.algorithm === 'sliding-log',
    quota,
    policyItem: `"${name}";q=${quota};w=${Math.max(1, ceilSeconds(policy.period))}`,
    remainingPrefix: `"${name}";r=`,
  }
}

/** One limiter's line in the headers of a request. */
interface Entry {
  readonly info: LimiterInfo
  readonly remaining: number
  /** `t` and `X-RateLimit-Reset`. */
  readonly resetSeconds: number
  readonly ietf: boolean
  readonly legacy: boolean
}

/** Everything the `rateLimit` guards of one request reported. `reports` is `facts.rateLimit`. */
interface RequestReports {
  readonly reports: RateLimitReport[]
  readonly entries: Entry[]
}

const reportsKey = Symbol('rateLimit')

/**
 * Records a limiter's report for the request. A limiter already reported (an app-wide and a route
 * guard sharing it) is replaced in place: it has one item in the headers, with its latest state.
 */
export function recordReport(
  ctx: GuardContext,
  info: LimiterInfo,
  report: RateLimitReport,
  resetSeconds: number,
  ietf: boolean,
  legacy: boolean,
): void {
  let state = ctx.local<RequestReports>(reportsKey)
  if (state === undefined) {
    state = { reports: [], entries: [] }
    ctx.setLocal(reportsKey, state)
  }
  ctx.facts.rateLimit = state.reports
  const entry: Entry = { info, remaining: wholeUnits(report.remaining), resetSeconds, ietf, legacy }
  const entries = state.entries
  for (let i = 0; i < entries.length; i++) {
    if ((entries[i] as Entry).info.name !== info.name) continue
    entries[i] = entry
    state.reports[i] = report
    return
  }
  entries.push(entry)
  state.reports.push(report)
}

/**
 * Writes the rate-limit headers from every report of the request so far, so a later guard's
 * limiters join the earlier ones instead of replacing them. The legacy headers describe the most
 * restrictive limiter: the lowest remaining, then the longest reset.
 */
export function writeHeaders(ctx: GuardContext): void {
  const state = ctx.local<RequestReports>(reportsKey)
  if (state === undefined) return
  let policy = ''
  let current = ''
  let tightest: Entry | undefined
  for (const entry of state.entries) {
    if (entry.ietf) {
      const separator = policy === '' ? '' : ', '
      policy += separator + entry.info.policyItem
      current += `${separator}${entry.info.remainingPrefix}${entry.remaining};t=${entry.resetSeconds}`
    }
    if (
      entry.legacy &&
      (tightest === undefined ||
        entry.remaining < tightest.remaining ||
        (entry.remaining === tightest.remaining && entry.resetSeconds > tightest.resetSeconds))
    )
      tightest = entry
  }
  const headers: ResponseHeaders = ctx.responseHeaders
  if (policy !== '') {
    headers.set('ratelimit-policy', policy)
    headers.set('ratelimit', current)
  }
  if (tightest !== undefined) {
    headers.set('x-ratelimit-limit', tightest.info.quota)
    headers.set('x-ratelimit-remaining', String(tightest.remaining))
    headers.set('x-ratelimit-reset', String(tightest.resetSeconds))
  }
}
