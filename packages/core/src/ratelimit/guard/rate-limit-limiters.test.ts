import { describe, expect, it } from 'vitest'
import type { SecurityEvent } from '../../events/index.js'
import { createSecurity, type Guard, type Outcome, type Principal } from '../../pipeline/index.js'
import { fromWebRequest } from '../../request/index.js'
import type { RateLimitStore } from '../limit-policy.js'
import { slidingWindow, tokenBucket } from '../limiters/index.js'
import { rateLimit } from './index.js'

/** A day boundary, so window arithmetic starts at the beginning of a window. */
const start = 19_675 * 86_400_000

function manualClock() {
  let now = start
  return {
    now: () => now,
    advance(ms: number) {
      now += ms
    },
  }
}

function run(guards: readonly Guard[], events?: SecurityEvent[]): Promise<Outcome> {
  const request = fromWebRequest(new Request('https://api.example.com/v1/search?q=a'), {
    remoteAddress: '192.0.2.1',
  })
  return createSecurity({
    guards,
    clock: { now: () => start },
    ...(events !== undefined && { events: (event: SecurityEvent) => events.push(event) }),
  }).protect(request)
}

const headersOf = (outcome: Outcome) => Object.fromEntries(outcome.response?.headers ?? outcome.headers)

describe('rateLimit with the built-in limiters', () => {
  it('limits bursts with a token bucket and a daily quota with a sliding window', async () => {
    const clock = manualClock()
    const burst = tokenBucket({ name: 'burst', capacity: 3, refillRate: 1, interval: '1s', clock })
    const daily = slidingWindow({ name: 'daily', limit: 5, window: '1d', clock })
    const guards = [rateLimit({ limiter: [burst, daily] })]

    const first = await run(guards)
    expect(headersOf(first)).toEqual({
      'ratelimit-policy': '"burst";q=3;w=3, "daily";q=5;w=86400',
      ratelimit: '"burst";r=2;t=1, "daily";r=4;t=172800',
      'x-ratelimit-limit': '3',
      'x-ratelimit-remaining': '2',
      'x-ratelimit-reset': '1',
    })
    await run(guards)
    await run(guards)
    const events: SecurityEvent[] = []
    const refused = await run(guards, events)
    expect(refused.response?.status).toBe(429)
    expect(headersOf(refused)).toEqual({
      'retry-after': '1',
      'ratelimit-policy': '"burst";q=3;w=3',
      ratelimit: '"burst";r=0;t=1',
      'x-ratelimit-limit': '3',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': '1',
      'content-type': 'application/problem+json',
      'cache-control': 'no-store',
    })
    expect(events.filter((event) => event.type === 'ratelimit.denied')).toEqual([
      {
        type: 'ratelimit.denied',
        limiter: 'burst',
        key: 'ip:192.0.2.1',
        retryAfter: 1_000,
        time: start,
        requestId: refused.requestId,
        method: 'GET',
        path: '/v1/search',
        clientIp: '192.0.2.1',
      },
    ])

    const blocked = await run(guards)
    expect(blocked.response?.status).toBe(429)

    clock.advance(1_000)
    const refilled = await run(guards)
    expect(refilled.response).toBeUndefined()
    expect(refilled.headers.get('ratelimit')).toBe('"burst";r=0;t=3, "daily";r=1;t=172799')

    clock.advance(10_000)
    await run(guards)
    const overQuota = await run(guards)
    expect(overQuota.response?.status).toBe(429)
    // Five units in today's window: one more fits once their weight in tomorrow's estimate drops
    // to 4/5, a fifth of the way into tomorrow, 11 s of today having passed.
    const wait = 86_400 + 86_400 / 5 - 11
    expect(overQuota.response?.headers.get('ratelimit')).toBe(`"burst";r=1;t=2, "daily";r=0;t=${wait}`)
    expect(overQuota.response?.headers.get('retry-after')).toBe(String(wait))
  })

  it('hands the limiter a valid key for huge and malformed ids', async () => {
    const clock = manualClock()
    const limiter = tokenBucket({ name: 'users', capacity: 10, refillRate: 1, interval: '1s', clock })
    for (const id of ['x'.repeat(10_240), 'u\ud800', 'ユーザー🙂', ' ', '\u0000']) {
      const principal: Principal = { id, kind: 'user' }
      const auth: Guard = {
        name: 'auth',
        check(ctx) {
          ctx.principal = principal
        },
      }
      const outcome = await run([auth, rateLimit({ limiter, by: 'user' })])
      expect(outcome.response).toBeUndefined()
      expect(outcome.headers.get('ratelimit')).toBe('"users";r=9;t=1')
    }
  })

  it('answers 503 with Retry-After when the store is down and the limiter fails closed', async () => {
    const down: RateLimitStore = {
      kind: 'broken',
      decide() {
        throw new Error('connection refused')
      },
      reset() {},
    }
    const limiter = slidingWindow({ name: 'api', limit: 10, window: '1m', store: down, probeInterval: '2s' })
    const outcome = await run([rateLimit({ limiter })])
    expect(outcome.response?.status).toBe(503)
    expect(outcome.reason).toBe('rate-limit-unavailable')
    expect(outcome.response?.headers.get('retry-after')).toBe('2')
  })
})
