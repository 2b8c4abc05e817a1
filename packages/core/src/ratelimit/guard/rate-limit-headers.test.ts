import { describe, expect, it } from 'vitest'
import { createSecurity, deny, type Guard, type Outcome } from '../../pipeline/index.js'
import { catalogProblem, statusProblem } from '../../problem/index.js'
import { fromWebRequest } from '../../request/index.js'
import type { RateLimiter, RateLimitResult } from '../rate-limiter.js'
import { fakeLimiter } from './fake-limiter.js'
import { rateLimit, rateLimitReports } from './index.js'

function run(guards: readonly Guard[], route: readonly Guard[] = []): Promise<Outcome> {
  const request = fromWebRequest(new Request('https://api.example.com/v1/search?q=a'), {
    remoteAddress: '192.0.2.1',
  })
  return createSecurity({ guards }).protect(request, { guards: route })
}

async function runTimes(times: number, guards: readonly Guard[], route: readonly Guard[] = []) {
  let outcome = await run(guards, route)
  for (let i = 1; i < times; i++) outcome = await run(guards, route)
  return outcome
}

const headersOf = (outcome: Outcome) => Object.fromEntries(outcome.response?.headers ?? outcome.headers)

/** A limiter that always answers `result`, with the given policy. */
function answering(
  name: string,
  limit: number,
  period: number,
  result: Partial<RateLimitResult>,
): RateLimiter {
  const full: RateLimitResult = {
    allowed: true,
    limit,
    remaining: 0,
    reset: 0,
    retryAfter: 0,
    source: 'store',
    ...result,
  }
  return {
    name,
    policy: { algorithm: 'token-bucket', limit, period },
    limit: async () => full,
    peek: async () => full,
    reset: async () => {},
  }
}

describe('rateLimit header modes', () => {
  const limiter = () => fakeLimiter('api', { limit: 60, period: 60_000, resetMs: 1_000 })

  it("sends only RateLimit and RateLimit-Policy with 'ietf'", async () => {
    const outcome = await run([rateLimit({ limiter: limiter(), headers: 'ietf' })])
    expect(headersOf(outcome)).toEqual({ 'ratelimit-policy': '"api";q=60;w=60', ratelimit: '"api";r=59;t=1' })
  })

  it("sends only the X-RateLimit headers with 'legacy'", async () => {
    const outcome = await run([rateLimit({ limiter: limiter(), headers: 'legacy' })])
    expect(headersOf(outcome)).toEqual({
      'x-ratelimit-limit': '60',
      'x-ratelimit-remaining': '59',
      'x-ratelimit-reset': '1',
    })
  })

  it('sends none with false, but still records the report', async () => {
    const outcome = await run([rateLimit({ limiter: limiter(), headers: false })])
    expect(headersOf(outcome)).toEqual({})
    expect(rateLimitReports(outcome.facts)).toHaveLength(1)
  })

  it('keeps Retry-After on a refusal with headers: false', async () => {
    const api = fakeLimiter('api', { limit: 1, period: 60_000, retryAfterMs: 2_000 })
    const outcome = await runTimes(2, [rateLimit({ limiter: api, headers: false })])
    expect(headersOf(outcome)).toEqual({
      'retry-after': '2',
      'content-type': 'application/problem+json',
      'cache-control': 'no-store',
    })
  })
})

describe('rateLimit headers across guards', () => {
  it('merges an app-wide and a route limit into one list', async () => {
    const app = fakeLimiter('api', { limit: 60, period: 60_000, resetMs: 1_000 })
    const search = fakeLimiter('search', { limit: 10, period: 60_000, resetMs: 6_000 })
    const outcome = await run([rateLimit({ limiter: app })], [rateLimit({ limiter: search, cost: 2 })])
    expect(headersOf(outcome)).toEqual({
      'ratelimit-policy': '"api";q=60;w=60, "search";q=10;w=60',
      ratelimit: '"api";r=59;t=1, "search";r=8;t=6',
      'x-ratelimit-limit': '10',
      'x-ratelimit-remaining': '8',
      'x-ratelimit-reset': '6',
    })
    expect(rateLimitReports(outcome.facts).map((report) => [report.limiter, report.remaining])).toEqual([
      ['api', 59],
      ['search', 8],
    ])
  })

  it("keeps the app's reports on the route's refusal", async () => {
    const app = fakeLimiter('api', { limit: 60, period: 60_000, resetMs: 1_000 })
    const search = fakeLimiter('search', { limit: 1, period: 60_000, retryAfterMs: 30_000 })
    const outcome = await runTimes(2, [rateLimit({ limiter: app })], [rateLimit({ limiter: search })])
    expect(outcome.response?.status).toBe(429)
    expect(headersOf(outcome)).toEqual({
      'retry-after': '30',
      'ratelimit-policy': '"api";q=60;w=60, "search";q=1;w=60',
      ratelimit: '"api";r=58;t=1, "search";r=0;t=30',
      'x-ratelimit-limit': '1',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': '30',
      'content-type': 'application/problem+json',
      'cache-control': 'no-store',
    })
  })

  it("puts the headers on a later guard's refusal", async () => {
    const app = fakeLimiter('api', { limit: 60, period: 60_000, resetMs: 1_000 })
    const unauthorized: Guard = { name: 'auth', check: () => deny(statusProblem(401)) }
    const outcome = await run([rateLimit({ limiter: app }), unauthorized])
    expect(outcome.response?.status).toBe(401)
    expect(outcome.response?.headers.get('ratelimit')).toBe('"api";r=59;t=1')
    expect(outcome.response?.headers.get('x-ratelimit-remaining')).toBe('59')
  })

  it('is not consulted when an earlier guard refused the request', async () => {
    const app = fakeLimiter('api', { limit: 60, period: 60_000 })
    const refuse: Guard = { name: 'cors', check: () => deny(catalogProblem('cors-denied')) }
    const outcome = await run([refuse, rateLimit({ limiter: app })])
    expect(outcome.response?.status).toBe(403)
    expect(app.calls).toEqual([])
    expect(outcome.response?.headers.has('ratelimit')).toBe(false)
  })

  it('reports a limiter shared by two guards once, with its latest state', async () => {
    const shared = fakeLimiter('api', { limit: 60, period: 60_000, resetMs: 1_000 })
    const outcome = await run([rateLimit({ limiter: shared })], [rateLimit({ limiter: shared, cost: 5 })])
    expect(shared.calls.map((call) => call.cost)).toEqual([1, 5])
    expect(outcome.headers.get('ratelimit-policy')).toBe('"api";q=60;w=60')
    expect(outcome.headers.get('ratelimit')).toBe('"api";r=54;t=1')
    expect(rateLimitReports(outcome.facts).map((report) => report.remaining)).toEqual([54])
  })

  it('lists only the reports of guards that send each kind of header', async () => {
    const quiet = fakeLimiter('quiet', { limit: 1, period: 1_000, resetMs: 1_000 })
    const ietf = fakeLimiter('ietf', { limit: 50, period: 60_000, resetMs: 2_000 })
    const legacy = fakeLimiter('legacy', { limit: 70, period: 60_000, resetMs: 3_000 })
    const outcome = await run(
      [rateLimit({ limiter: quiet, headers: false }), rateLimit({ limiter: ietf, headers: 'ietf' })],
      [rateLimit({ limiter: legacy, headers: 'legacy' })],
    )
    expect(headersOf(outcome)).toEqual({
      'ratelimit-policy': '"ietf";q=50;w=60',
      ratelimit: '"ietf";r=49;t=2',
      'x-ratelimit-limit': '70',
      'x-ratelimit-remaining': '69',
      'x-ratelimit-reset': '3',
    })
    expect(rateLimitReports(outcome.facts).map((report) => report.limiter)).toEqual([
      'quiet',
      'ietf',
      'legacy',
    ])
  })
})

describe('rateLimit header values', () => {
  it('describes the lowest remaining in the X-RateLimit headers, then the longest reset', async () => {
    const outcome = await run([
      rateLimit({
        limiter: [
          answering('a', 10, 1_000, { remaining: 3, reset: 900 }),
          answering('b', 20, 60_000, { remaining: 3, reset: 40_000 }),
          answering('c', 30, 60_000, { remaining: 3, reset: 20_000 }),
          answering('d', 40, 60_000, { remaining: 4, reset: 59_000 }),
        ],
      }),
    ])
    expect(headersOf(outcome)).toMatchObject({
      'x-ratelimit-limit': '20',
      'x-ratelimit-remaining': '3',
      'x-ratelimit-reset': '40',
    })
  })

  it('writes whole seconds, a window of at least 1 and whole quotas', async () => {
    const outcome = await run([
      rateLimit({
        limiter: [
          answering('half-second', 2.5, 500, { remaining: 1.9, reset: 1 }),
          answering('odd', 7, 1_500, { remaining: 7, reset: 0 }),
        ],
      }),
    ])
    expect(outcome.headers.get('ratelimit-policy')).toBe('"half-second";q=2;w=1, "odd";q=7;w=2')
    expect(outcome.headers.get('ratelimit')).toBe('"half-second";r=1;t=1, "odd";r=7;t=0')
  })

  it('never sends a negative, fractional, NaN or over-long number from a misbehaving limiter', async () => {
    const outcome = await run([
      rateLimit({
        limiter: [
          answering('negative', 10, 1_000, { remaining: -3, reset: -5 }),
          answering('nan', 10, 1_000, { remaining: Number.NaN, reset: Number.NaN }),
          answering('huge', 1e300, 1e300, { remaining: 1e300, reset: Number.POSITIVE_INFINITY }),
        ],
      }),
    ])
    expect(outcome.headers.get('ratelimit-policy')).toBe(
      '"negative";q=10;w=1, "nan";q=10;w=1, "huge";q=999999999999999;w=999999999999999',
    )
    expect(outcome.headers.get('ratelimit')).toBe(
      '"negative";r=0;t=0, "nan";r=0;t=0, "huge";r=999999999999999;t=999999999999999',
    )
  })

  it('sends Retry-After no earlier than the reset of the refusing limiter', async () => {
    const bucket = answering('bucket', 100, 100_000, {
      allowed: false,
      remaining: 0,
      reset: 100_000,
      retryAfter: 1_000,
    })
    const outcome = await run([rateLimit({ limiter: bucket })])
    const retryAfter = Number(outcome.response?.headers.get('retry-after'))
    expect(retryAfter).toBe(1)
    expect(outcome.response?.headers.get('ratelimit')).toBe('"bucket";r=0;t=1')
    expect(Number(outcome.response?.headers.get('x-ratelimit-reset'))).toBeLessThanOrEqual(retryAfter)
  })
})
