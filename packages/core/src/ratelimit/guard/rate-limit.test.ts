import { describe, expect, it } from 'vitest'
import type { SecurityEvent } from '../../events/index.js'
import { createSecurity, type Guard, type Outcome, type Principal } from '../../pipeline/index.js'
import { fromWebRequest } from '../../request/index.js'
import type { RateLimiter } from '../rate-limiter.js'
import { fakeLimiter } from './fake-limiter.js'
import { type RateLimitReport, rateLimit, rateLimitReports } from './index.js'

const now = 1_700_000_000_000
const ip = '192.0.2.1'

const rateLimitedBody = JSON.stringify({
  detail: 'Too many requests. Wait for the number of seconds in Retry-After before retrying.',
  type: 'urn:sec:problem:rate-limited',
  title: 'Too Many Requests',
  status: 429,
})

function authenticate(principal: Principal): Guard {
  return {
    name: 'auth',
    check(ctx) {
      ctx.principal = principal
    },
  }
}

interface RunOptions {
  readonly ip?: string
  readonly headers?: Record<string, string>
  readonly route?: readonly Guard[]
  readonly events?: SecurityEvent[]
}

function run(guards: readonly Guard[], options: RunOptions = {}): Promise<Outcome> {
  const events = options.events
  const security = createSecurity({
    guards,
    clock: { now: () => now },
    ...(events !== undefined && { events: (event: SecurityEvent) => events.push(event) }),
  })
  const request = new Request('https://api.example.com/v1/notes?q=1', { headers: options.headers ?? {} })
  return security.protect(fromWebRequest(request, { remoteAddress: options.ip ?? ip }), {
    guards: options.route ?? [],
  })
}

async function runTimes(times: number, guards: readonly Guard[], options?: RunOptions): Promise<Outcome> {
  let outcome = await run(guards, options)
  for (let i = 1; i < times; i++) outcome = await run(guards, options)
  return outcome
}

const headersOf = (outcome: Outcome) => Object.fromEntries(outcome.response?.headers ?? outcome.headers)

describe('rateLimit on admitted requests', () => {
  it('lets the request through with the IETF and legacy headers', async () => {
    const api = fakeLimiter('api', { limit: 3, period: 60_000, resetMs: 30_500 })
    const outcome = await run([rateLimit({ limiter: api })])
    expect(outcome.verdict).toBe('allow')
    expect(outcome.response).toBeUndefined()
    expect(Object.fromEntries(outcome.headers)).toEqual({
      'ratelimit-policy': '"api";q=3;w=60',
      ratelimit: '"api";r=2;t=31',
      'x-ratelimit-limit': '3',
      'x-ratelimit-remaining': '2',
      'x-ratelimit-reset': '31',
    })
    expect(api.calls).toEqual([{ key: `ip:${ip}`, cost: 1 }])
  })

  it('records one report per limiter in facts.rateLimit', async () => {
    const api = fakeLimiter('api', { limit: 3, period: 60_000, resetMs: 30_500 })
    const outcome = await run([rateLimit({ limiter: api })])
    expect(rateLimitReports(outcome.facts)).toEqual([
      {
        limiter: 'api',
        limit: 3,
        period: 60_000,
        remaining: 2,
        reset: 30_500,
        retryAfter: 0,
        allowed: true,
        source: 'store',
      },
    ] satisfies RateLimitReport[])
    expect(outcome.facts.rateLimit).toBe(rateLimitReports(outcome.facts))
  })

  it('reports no facts when no rateLimit guard ran', async () => {
    const outcome = await run([])
    expect(rateLimitReports(outcome.facts)).toEqual([])
  })
})

describe('rateLimit on refused requests', () => {
  it('answers 429 with Retry-After rounded up, the headers and a problem without the key', async () => {
    const api = fakeLimiter('api', { limit: 3, period: 60_000, resetMs: 30_500, retryAfterMs: 1_200 })
    const outcome = await runTimes(4, [rateLimit({ limiter: api })])
    expect(outcome.verdict).toBe('challenge')
    expect(outcome.reason).toBe('rate-limited')
    expect(outcome.guard).toBe('rate-limit')
    expect(outcome.response?.status).toBe(429)
    expect(headersOf(outcome)).toEqual({
      'retry-after': '2',
      'ratelimit-policy': '"api";q=3;w=60',
      ratelimit: '"api";r=0;t=2',
      'x-ratelimit-limit': '3',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': '2',
      'content-type': 'application/problem+json',
      'cache-control': 'no-store',
    })
    expect(outcome.response?.body).toBe(rateLimitedBody)
    expect(outcome.response?.body).not.toContain(ip)
    expect(rateLimitReports(outcome.facts)).toEqual([
      {
        limiter: 'api',
        limit: 3,
        period: 60_000,
        remaining: 0,
        reset: 30_500,
        retryAfter: 1_200,
        allowed: false,
        source: 'store',
      },
    ])
  })

  it.each([
    [0, '1'],
    [1, '1'],
    [999, '1'],
    [1_000, '1'],
    [1_001, '2'],
    [59_999.5, '60'],
  ])('sends Retry-After %d ms as %s s, never 0 and never early', async (retryAfterMs, seconds) => {
    const api = fakeLimiter('api', { limit: 1, period: 60_000, retryAfterMs })
    const outcome = await runTimes(2, [rateLimit({ limiter: api })])
    expect(outcome.response?.headers.get('retry-after')).toBe(seconds)
    expect(outcome.response?.headers.get('ratelimit')).toBe(`"api";r=0;t=${seconds}`)
  })

  it('emits one ratelimit.denied event with the exact fields', async () => {
    const events: SecurityEvent[] = []
    const api = fakeLimiter('api', { limit: 1, period: 60_000, retryAfterMs: 1_500 })
    await run([rateLimit({ limiter: api })], { events })
    const outcome = await run([rateLimit({ limiter: api })], { events })
    const denied = events.filter((event) => event.type === 'ratelimit.denied')
    expect(denied).toEqual([
      {
        type: 'ratelimit.denied',
        limiter: 'api',
        key: `ip:${ip}`,
        retryAfter: 1_500,
        time: now,
        requestId: outcome.requestId,
        method: 'GET',
        path: '/v1/notes',
        clientIp: ip,
      },
    ])
  })

  it('hashes an API key in the event', async () => {
    const events: SecurityEvent[] = []
    const api = fakeLimiter('api', { limit: 1, period: 60_000 })
    const guard = rateLimit({ limiter: api, by: 'api-key' })
    const headers = { 'x-api-key': 'sk_test_4eC39HqLyjWDarjtT1zdp7dc' }
    await runTimes(2, [guard], { events, headers })
    const denied = events.filter((event) => event.type === 'ratelimit.denied')
    expect(denied.map((event) => event.key)).toEqual(['key:2cafc0970149a84f'])
    expect(JSON.stringify(events)).not.toContain('sk_test')
  })

  it('answers 503 rate-limit-unavailable when the limiter fails closed, without a denied event', async () => {
    const events: SecurityEvent[] = []
    const api = fakeLimiter('api', { limit: 5, period: 60_000, retryAfterMs: 5_000 })
    api.source = 'fail-closed'
    const outcome = await run([rateLimit({ limiter: api })], { events })
    expect(outcome.verdict).toBe('challenge')
    expect(outcome.reason).toBe('rate-limit-unavailable')
    expect(outcome.response?.status).toBe(503)
    expect(headersOf(outcome)).toEqual({
      'retry-after': '5',
      'ratelimit-policy': '"api";q=5;w=60',
      ratelimit: '"api";r=0;t=5',
      'x-ratelimit-limit': '5',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': '5',
      'content-type': 'application/problem+json',
      'cache-control': 'no-store',
    })
    expect(outcome.response?.body).toBe(
      JSON.stringify({
        detail:
          'The rate limit cannot be checked right now. Retry after the number of seconds in Retry-After.',
        type: 'urn:sec:problem:rate-limit-unavailable',
        title: 'Rate Limit Unavailable',
        status: 503,
      }),
    )
    expect(events.filter((event) => event.type === 'ratelimit.denied')).toEqual([])
  })

  it('admits a fail-open answer and reports it', async () => {
    const api = fakeLimiter('api', { limit: 5, period: 60_000 })
    api.source = 'fail-open'
    const outcome = await run([rateLimit({ limiter: api })])
    expect(outcome.verdict).toBe('allow')
    expect(rateLimitReports(outcome.facts)[0]?.source).toBe('fail-open')
  })

  it('turns a limiter that throws into a 500 that names nothing but the correlation id', async () => {
    const broken: RateLimiter = {
      ...fakeLimiter('api', { limit: 5, period: 60_000 }),
      async limit(key) {
        throw new Error(`store exploded on ${key}`)
      },
    }
    const outcome = await run([rateLimit({ limiter: broken, by: 'user' })], {})
    expect(outcome.response?.status).toBe(500)
    expect(outcome.response?.body).toBe(
      JSON.stringify({
        correlationId: outcome.requestId,
        type: 'urn:sec:problem:internal-error',
        title: 'Internal Server Error',
        status: 500,
      }),
    )
  })
})

describe('rateLimit with several limiters', () => {
  it('consults them in order and reports each', async () => {
    const burst = fakeLimiter('burst', { limit: 10, period: 1_000, resetMs: 400 })
    const daily = fakeLimiter('daily', { limit: 5_000, period: 86_400_000, resetMs: 86_400_000 })
    const outcome = await run([rateLimit({ limiter: [burst, daily] })])
    expect(Object.fromEntries(outcome.headers)).toEqual({
      'ratelimit-policy': '"burst";q=10;w=1, "daily";q=5000;w=86400',
      ratelimit: '"burst";r=9;t=1, "daily";r=4999;t=86400',
      'x-ratelimit-limit': '10',
      'x-ratelimit-remaining': '9',
      'x-ratelimit-reset': '1',
    })
    expect(rateLimitReports(outcome.facts).map((report) => report.limiter)).toEqual(['burst', 'daily'])
  })

  it('stops at the first denial, so later limiters keep their units', async () => {
    const burst = fakeLimiter('burst', { limit: 1, period: 1_000, retryAfterMs: 700 })
    const daily = fakeLimiter('daily', { limit: 5_000, period: 86_400_000 })
    const outcome = await runTimes(2, [rateLimit({ limiter: [burst, daily] })])
    expect(outcome.response?.status).toBe(429)
    expect(daily.calls).toHaveLength(1)
    expect(outcome.response?.headers.get('ratelimit-policy')).toBe('"burst";q=1;w=1')
    expect(outcome.response?.headers.get('ratelimit')).toBe('"burst";r=0;t=1')
  })

  it('reports every limiter consulted when a later one denies', async () => {
    const burst = fakeLimiter('burst', { limit: 100, period: 1_000, resetMs: 10 })
    const daily = fakeLimiter('daily', { limit: 1, period: 86_400_000, retryAfterMs: 3_600_000 })
    const outcome = await runTimes(2, [rateLimit({ limiter: [burst, daily] })])
    expect(headersOf(outcome)).toEqual({
      'retry-after': '3600',
      'ratelimit-policy': '"burst";q=100;w=1, "daily";q=1;w=86400',
      ratelimit: '"burst";r=98;t=1, "daily";r=0;t=3600',
      'x-ratelimit-limit': '1',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': '3600',
      'content-type': 'application/problem+json',
      'cache-control': 'no-store',
    })
  })
})

describe('rateLimit tiers', () => {
  const tiersOf = () => ({
    anonymous: fakeLimiter('anon', { limit: 60, period: 60_000 }),
    authenticated: fakeLimiter('member', { limit: 600, period: 60_000 }),
    pro: fakeLimiter('pro', { limit: 6_000, period: 60_000 }),
  })

  async function tierUsed(tiers: Record<string, RateLimiter>, principal?: Principal, pick?: () => string) {
    const guard = rateLimit({ tiers, ...(pick !== undefined && { tier: pick }) })
    const outcome = await run(principal === undefined ? [guard] : [authenticate(principal), guard])
    return rateLimitReports(outcome.facts).map((report) => report.limiter)
  }

  it('limits anonymous callers with the anonymous tier', async () => {
    expect(await tierUsed(tiersOf())).toEqual(['anon'])
  })

  it('limits authenticated callers with their plan, else the authenticated tier', async () => {
    expect(await tierUsed(tiersOf(), { id: 'u_1', kind: 'user', plan: 'pro' })).toEqual(['pro'])
    expect(await tierUsed(tiersOf(), { id: 'u_1', kind: 'user' })).toEqual(['member'])
    expect(await tierUsed(tiersOf(), { id: 'u_1', kind: 'user', plan: 'enterprise' })).toEqual(['member'])
    expect(await tierUsed(tiersOf(), { id: 'u_1', kind: 'user', plan: 42 })).toEqual(['member'])
  })

  it('never reads a tier from the prototype chain', async () => {
    for (const plan of ['constructor', '__proto__', 'toString', 'hasOwnProperty'])
      expect(await tierUsed(tiersOf(), { id: 'u_1', kind: 'user', plan })).toEqual(['member'])
  })

  it('falls back to anonymous when there is no authenticated tier', async () => {
    const { anonymous, pro } = tiersOf()
    expect(await tierUsed({ anonymous, pro }, { id: 'u_1', kind: 'user', plan: 'free' })).toEqual(['anon'])
    expect(await tierUsed({ anonymous, pro }, { id: 'u_1', kind: 'user', plan: 'pro' })).toEqual(['pro'])
  })

  it('uses the tier function, with unknown names falling back by authentication', async () => {
    expect(await tierUsed(tiersOf(), { id: 'u_1', kind: 'user' }, () => 'pro')).toEqual(['pro'])
    expect(await tierUsed(tiersOf(), undefined, () => 'pro')).toEqual(['pro'])
    expect(await tierUsed(tiersOf(), { id: 'u_1', kind: 'user' }, () => 'gold')).toEqual(['member'])
    expect(await tierUsed(tiersOf(), undefined, () => 'gold')).toEqual(['anon'])
  })

  it('takes several limiters per tier', async () => {
    const tiers = {
      anonymous: [
        fakeLimiter('anon-burst', { limit: 5, period: 1_000 }),
        fakeLimiter('anon', { limit: 60, period: 60_000 }),
      ],
    }
    expect(await tierUsed(tiers as unknown as Record<string, RateLimiter>)).toEqual(['anon-burst', 'anon'])
  })
})

describe('rateLimit costs', () => {
  it('takes a fixed cost from every limiter', async () => {
    const api = fakeLimiter('api', { limit: 10, period: 60_000 })
    const outcome = await run([rateLimit({ limiter: api, cost: 2.5 })])
    expect(api.calls).toEqual([{ key: `ip:${ip}`, cost: 2.5 }])
    expect(outcome.headers.get('ratelimit')).toBe('"api";r=7;t=60')
  })

  it('computes the cost from the request', async () => {
    const api = fakeLimiter('api', { limit: 10, period: 60_000 })
    await run([rateLimit({ limiter: api, cost: (ctx) => Number(ctx.query.get('q')) * 3 })])
    expect(api.calls).toEqual([{ key: `ip:${ip}`, cost: 3 }])
  })

  it('peeks for a cost of 0 and never refuses', async () => {
    const api = fakeLimiter('api', { limit: 1, period: 60_000, retryAfterMs: 9_000 })
    await run([rateLimit({ limiter: api })])
    const outcome = await run([rateLimit({ limiter: api, cost: () => 0 })])
    expect(outcome.verdict).toBe('allow')
    expect(api.calls).toEqual([
      { key: `ip:${ip}`, cost: 1 },
      { key: `ip:${ip}`, cost: 'peek' },
    ])
    expect(outcome.headers.get('ratelimit')).toBe('"api";r=0;t=60')
    expect(rateLimitReports(outcome.facts)[0]).toMatchObject({ allowed: true, retryAfter: 0 })
  })

  it('refuses a cost above a limit without consulting any limiter or sending Retry-After', async () => {
    const api = fakeLimiter('api', { limit: 10, period: 60_000 })
    const outcome = await run([rateLimit({ limiter: api, cost: () => 11 })])
    expect(outcome.response?.status).toBe(429)
    expect(headersOf(outcome)).toEqual({
      'content-type': 'application/problem+json',
      'cache-control': 'no-store',
    })
    expect(outcome.response?.body).toBe(
      JSON.stringify({
        detail: 'This request costs more than the rate limit allows at once, so it can never be admitted.',
        type: 'urn:sec:problem:rate-limited',
        title: 'Too Many Requests',
        status: 429,
      }),
    )
    expect(api.calls).toEqual([])
  })

  it.each([[Number.NaN], [-1], [Number.POSITIVE_INFINITY], ['1'], [undefined]])(
    'treats a cost function returning %s as a bug: a 500 without details',
    async (value) => {
      const api = fakeLimiter('api', { limit: 10, period: 60_000 })
      const events: SecurityEvent[] = []
      const outcome = await run([rateLimit({ limiter: api, cost: () => value as number })], { events })
      expect(outcome.response?.status).toBe(500)
      expect(api.calls).toEqual([])
      const error = events.find((event) => event.type === 'request.error')
      expect(error?.type === 'request.error' && error.error).toBeInstanceOf(TypeError)
    },
  )

  it('refuses a fractional cost from the function for a sliding log', async () => {
    const log = fakeLimiter('log', { limit: 10, period: 60_000, algorithm: 'sliding-log' })
    const outcome = await run([rateLimit({ limiter: log, cost: () => 1.5 })])
    expect(outcome.response?.status).toBe(500)
    expect(log.calls).toEqual([])
  })
})

describe('rateLimit with in-process limiters', () => {
  const ctxOf = async (guard: Guard) => {
    let result: unknown
    const probe: Guard = {
      name: 'probe',
      check(ctx) {
        result = guard.check(ctx)
        return result as ReturnType<Guard['check']>
      },
    }
    const outcome = await run([probe])
    return { result, outcome }
  }

  it('decides without a promise and answers as the promise-based limiters do', async () => {
    const sync = fakeLimiter('api', { limit: 2, period: 60_000, resetMs: 30_500, sync: true })
    const promised = fakeLimiter('api', { limit: 2, period: 60_000, resetMs: 30_500 })
    for (let i = 0; i < 3; i++) {
      const fast = await ctxOf(rateLimit({ limiter: sync }))
      const slow = await ctxOf(rateLimit({ limiter: promised }))
      expect(fast.result).not.toBeInstanceOf(Promise)
      expect(slow.result).toBeInstanceOf(Promise)
      expect(fast.outcome.verdict).toBe(slow.outcome.verdict)
      expect(headersOf(fast.outcome)).toEqual(headersOf(slow.outcome))
      expect(fast.outcome.response?.body).toBe(slow.outcome.response?.body)
      expect(rateLimitReports(fast.outcome.facts)).toEqual(rateLimitReports(slow.outcome.facts))
    }
    expect(headersOf((await ctxOf(rateLimit({ limiter: sync }))).outcome)['retry-after']).toBe('60')
    expect(sync.calls).toEqual(promised.calls.concat([{ key: `ip:${ip}`, cost: 1 }]))
  })

  it('peeks synchronously for a cost of 0', async () => {
    const api = fakeLimiter('api', { limit: 1, period: 60_000, sync: true })
    const { result, outcome } = await ctxOf(rateLimit({ limiter: api, cost: () => 0 }))
    expect(result).toBeUndefined()
    expect(outcome.headers.get('ratelimit')).toBe('"api";r=1;t=0')
    expect(api.calls).toEqual([{ key: `ip:${ip}`, cost: 'peek' }])
  })

  it('waits for the others when one limiter of the tier is not in process', async () => {
    const burst = fakeLimiter('burst', { limit: 5, period: 1_000, sync: true })
    const daily = fakeLimiter('daily', { limit: 100, period: 86_400_000 })
    const { result, outcome } = await ctxOf(rateLimit({ limiter: [burst, daily] }))
    expect(result).toBeInstanceOf(Promise)
    expect(outcome.headers.get('ratelimit')).toBe('"burst";r=4;t=1, "daily";r=99;t=86400')
  })
})
