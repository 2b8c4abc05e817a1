import { describe, expect, it } from 'vitest'
import { catalogProblem } from '../problem/index.js'
import { fromWebRequest } from '../request/index.js'
import { createSecurity } from './create-security.js'
import { deny, type Guard, respond } from './guard.js'

const fixedRandom = (bytes: Uint8Array<ArrayBuffer>) => bytes.fill(7)
const request = (path = '/x', init?: RequestInit) =>
  fromWebRequest(new Request(`http://api.test${path}`, init))

const addHeader: Guard = {
  name: 'mark',
  always: true,
  check: (ctx) => void ctx.responseHeaders.set('x-mark', '1'),
}
const denyAll: Guard = { name: 'deny-all', check: () => deny(catalogProblem('cors-denied')) }

describe('createSecurity', () => {
  it('allows a request no guard ends, exposing headers set by guards', async () => {
    const outcome = await createSecurity({ guards: [addHeader] }).protect(request())
    expect(outcome.verdict).toBe('allow')
    expect(outcome.response).toBeUndefined()
    expect(outcome.headers.get('x-mark')).toBe('1')
  })

  it('answers a denial with problem+json that carries the headers of always-guards after it', async () => {
    const outcome = await createSecurity({ guards: [denyAll, addHeader] }).protect(request())
    expect(outcome.verdict).toBe('deny')
    expect(outcome.reason).toBe('cors-denied')
    expect(outcome.guard).toBe('deny-all')
    expect(outcome.response?.status).toBe(403)
    expect(Object.fromEntries(outcome.response?.headers ?? [])).toEqual({
      'cache-control': 'no-store',
      'content-type': 'application/problem+json',
      'x-mark': '1',
    })
    expect(JSON.parse(outcome.response?.body ?? '')).toEqual({
      type: 'urn:sec:problem:cors-denied',
      title: 'CORS Request Denied',
      status: 403,
    })
  })

  it('turns a throwing guard into a 500 with only a correlation id, and emits the error', async () => {
    const events: unknown[] = []
    const boom: Guard = {
      name: 'boom',
      check: () => {
        throw new Error('db password is hunter2')
      },
    }
    const outcome = await createSecurity({
      guards: [boom],
      random: fixedRandom,
      events: (e) => events.push(e),
    }).protect(request('/secret?token=abc'))
    const id = '07070707-0707-4707-8707-070707070707'
    expect(outcome.response?.status).toBe(500)
    expect(outcome.response?.body).toBe(
      JSON.stringify({
        correlationId: id,
        type: 'urn:sec:problem:internal-error',
        title: 'Internal Server Error',
        status: 500,
      }),
    )
    expect(events).toHaveLength(1)
    expect(events[0]).toMatchObject({ type: 'request.error', requestId: id, path: '/secret', method: 'GET' })
  })

  it('runs route guards after app guards, and resume() runs them later', async () => {
    const order: string[] = []
    const named = (name: string): Guard => ({ name, check: () => void order.push(name) })
    const security = createSecurity({ guards: [named('app')] })
    const outcome = await security.protect(request(), { guards: [named('route')], params: { id: 'n1' } })
    expect(order).toEqual(['app', 'route'])
    await security.resume(outcome, {
      guards: [named('late'), { name: 'pre', check: () => respond('cors-preflight', 204) }],
    })
    expect(order).toEqual(['app', 'route', 'late'])
    expect(outcome.response?.status).toBe(204)
    expect(outcome.response?.body).toBeNull()
    expect(outcome.verdict).toBe('allow')
  })

  it('emits request.completed once on finish, with the path but never the query', async () => {
    const events: unknown[] = []
    const security = createSecurity({
      events: [(e) => events.push(e)],
      clock: { now: () => 1000 },
      random: fixedRandom,
    })
    const outcome = await security.protect(request('/v1/notes?api_key=s3cret'))
    outcome.finish({ status: 200 })
    outcome.finish({ status: 500 })
    expect(events).toEqual([
      {
        type: 'request.completed',
        time: 1000,
        requestId: '07070707-0707-4707-8707-070707070707',
        method: 'GET',
        path: '/v1/notes',
        clientIp: undefined,
        verdict: 'allow',
        reason: undefined,
        guard: undefined,
        status: 200,
        principalId: undefined,
      },
    ])
  })

  it('fills in the request fields of an event a guard emits', async () => {
    const events: unknown[] = []
    const emitter: Guard = {
      name: 'emitter',
      check: (ctx) =>
        ctx.emit({ type: 'ratelimit.denied', limiter: 'burst', key: '198.51.100.7', retryAfter: 250 }),
    }
    const security = createSecurity({
      guards: [emitter],
      events: (e) => events.push(e),
      clock: { now: () => 2000 },
      random: fixedRandom,
    })
    await security.protect(request('/v1/search?q=secret'))
    expect(events).toEqual([
      {
        type: 'ratelimit.denied',
        limiter: 'burst',
        key: '198.51.100.7',
        retryAfter: 250,
        time: 2000,
        requestId: '07070707-0707-4707-8707-070707070707',
        method: 'GET',
        path: '/v1/search',
        clientIp: undefined,
      },
    ])
  })

  it('says the outcome is observed only when there are event sinks', async () => {
    expect(createSecurity().observed).toBe(false)
    expect(createSecurity({ events: [] }).observed).toBe(false)
    expect(createSecurity({ events: () => undefined }).observed).toBe(true)
    const unobserved = await createSecurity().protect(request())
    const observed = await createSecurity({ events: () => undefined }).protect(request())
    const emptySinks = await createSecurity({ events: [] }).protect(request())
    expect([unobserved.observed, observed.observed, emptySinks.observed]).toEqual([false, true, false])
  })

  it('maps framework errors without leaking messages', () => {
    const security = createSecurity({ random: fixedRandom })
    const notFound = security.statusResponse(404)
    expect(notFound.status).toBe(404)
    expect(notFound.body).toBe('{"type":"about:blank","title":"Not Found","status":404}')
    const parse = security.errorResponse(
      Object.assign(new SyntaxError('Unexpected token } at 7'), { status: 400 }),
    )
    expect(parse.body).toBe('{"type":"about:blank","title":"Bad Request","status":400}')
  })

  it.each([
    [
      { guardz: [] },
      'createSecurity.guardz: is not a known option. Remove it or check its spelling against the documentation.',
    ],
    [{ trustProxy: true }, 'createSecurity.trustProxy: true would let any caller choose its own IP.'],
    [{ bodyLimit: -1 }, 'createSecurity.bodyLimit: '],
    [{ guards: [{}] }, 'createSecurity.guards[0]: Expected a guard'],
  ])('refuses bad options %j', (options, message) => {
    expect(() => createSecurity(options as never)).toThrowError(
      expect.objectContaining({ code: 'SEC_CONFIG', message: expect.stringContaining(message) }),
    )
  })
})
