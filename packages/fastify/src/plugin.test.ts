import { catalogProblem, deny, type Guard } from '@sec/core'
import { describe, expect, it } from 'vitest'
import {
  call,
  jsonResponse,
  problemHeaders,
  problemResponse,
  requestId,
  servePerTest,
} from './testing/serve-app.js'

const serve = servePerTest()

describe('secFastify', () => {
  it('runs the guards, sets their headers and exposes the outcome to the handler', async () => {
    const { url } = await serve({
      routes: (app) =>
        app.get('/whoami', async (request) => ({
          verdict: request.security.verdict,
          ip: request.security.client.ip,
        })),
    })
    const res = await call(`${url}/whoami`)
    expect(res).toEqual(jsonResponse(200, '{"verdict":"allow","ip":"127.0.0.1"}'))
    expect(res.headers).toEqual({
      'cache-control': 'no-store',
      'content-length': '36',
      'content-type': 'application/json; charset=utf-8',
      'x-content-type-options': 'nosniff',
    })
  })

  it('answers a denial with problem+json and calls no handler', async () => {
    let called = false
    const { url } = await serve({
      routes: (app) =>
        app.get('/denied', async () => {
          called = true
          return 'no'
        }),
    })
    const res = await call(`${url}/denied`)
    expect(res).toEqual({
      status: 403,
      headers: { ...problemHeaders, 'content-length': '81' },
      body: '{"type":"urn:sec:problem:cors-denied","title":"CORS Request Denied","status":403}',
      connection: 'keep-alive',
    })
    expect(called).toBe(false)
  })

  it('answers a preflight to a path without an OPTIONS route, or without any route', async () => {
    const { url } = await serve({ routes: (app) => app.post('/v1/notes', async () => 'created') })
    for (const path of ['/v1/notes', '/nowhere']) {
      const res = await call(`${url}${path}`, {
        method: 'OPTIONS',
        headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST' },
      })
      expect(res).toEqual({
        status: 204,
        body: '',
        headers: {
          'access-control-allow-origin': 'https://app.example.com',
          'cache-control': 'no-store',
          'x-content-type-options': 'nosniff',
        },
        connection: 'keep-alive',
      })
    }
  })

  it('answers a preflight to an unrouted path with hook preHandler too', async () => {
    const { url } = await serve({ plugin: { hook: 'preHandler' } })
    const res = await call(`${url}/nowhere`, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST' },
    })
    expect(res).toEqual({
      status: 204,
      headers: {
        'access-control-allow-origin': 'https://app.example.com',
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      },
      body: '',
      connection: 'keep-alive',
    })
  })

  it('runs route guards from config.security after the app guards, with the route params', async () => {
    const seen: unknown[] = []
    const route: Guard = {
      name: 'route',
      check(ctx) {
        seen.push(ctx.params)
        if (ctx.params.id !== 'n_1') return deny(catalogProblem('validation-failed'))
      },
    }
    const { url } = await serve({
      routes: (app) =>
        app.get('/v1/notes/:id', { config: { security: [route] } }, async (request) => request.params),
    })
    expect(await call(`${url}/v1/notes/n_1`)).toEqual(jsonResponse(200, '{"id":"n_1"}'))
    const denied = await call(`${url}/v1/notes/n_2`)
    expect(denied).toEqual(
      problemResponse(
        400,
        '{"type":"urn:sec:problem:validation-failed","title":"Validation Failed","status":400}',
      ),
    )
    expect(seen).toEqual([{ id: 'n_1' }, { id: 'n_2' }])
  })

  it('answers an unknown route with a 404 problem that carries the guard headers', async () => {
    const { url, events } = await serve()
    expect(await call(`${url}/nowhere?x=1`)).toEqual({
      status: 404,
      headers: { ...problemHeaders, 'content-length': '55' },
      body: '{"type":"about:blank","title":"Not Found","status":404}',
      connection: 'keep-alive',
    })
    expect(events).toEqual([
      {
        type: 'request.completed',
        time: expect.any(Number),
        requestId,
        method: 'GET',
        path: '/nowhere',
        clientIp: '127.0.0.1',
        verdict: 'allow',
        reason: undefined,
        guard: undefined,
        status: 404,
        principalId: undefined,
      },
    ])
  })

  it('turns an unexpected error into a 500 with only a correlation id, and emits it', async () => {
    const { url, events } = await serve({
      routes: (app) =>
        app.get('/boom', async () => {
          throw new Error('db-password=hunter2')
        }),
    })
    const res = await call(`${url}/boom`)
    expect(res).toEqual(
      problemResponse(
        500,
        JSON.stringify({
          correlationId: requestId,
          type: 'urn:sec:problem:internal-error',
          title: 'Internal Server Error',
          status: 500,
        }),
      ),
    )
    expect(events.map((event) => [event.type, 'status' in event ? event.status : undefined])).toEqual([
      ['request.error', undefined],
      ['request.completed', 500],
    ])
  })

  it('maps a thrown 4xx error to a bare problem of that status, never its message', async () => {
    const { url } = await serve({
      routes: (app) =>
        app.get('/missing', async () => {
          throw Object.assign(new Error('no note n_secret'), { statusCode: 404 })
        }),
    })
    expect(await call(`${url}/missing`)).toEqual(
      problemResponse(404, '{"type":"about:blank","title":"Not Found","status":404}'),
    )
  })

  it.each([
    ['an unsupported media type', 'text/xml', '<a/>', 415, 'Unsupported Media Type'],
    ['malformed JSON', 'application/json', '{"title":', 400, 'Bad Request'],
    ['JSON with __proto__', 'application/json', '{"__proto__":{"admin":true}}', 400, 'Bad Request'],
    ['a body over bodyLimit', 'application/json', `{"a":"${'x'.repeat(200)}"}`, 413, 'Content Too Large'],
  ])(
    'answers %s refused by Fastify with a bare problem, closing the connection as Fastify does',
    async (_name, type, body, status, title) => {
      const { url } = await serve({
        server: { bodyLimit: 100 },
        routes: (app) => app.post('/echo', async (request) => request.body),
      })
      expect(await call(`${url}/echo`, { method: 'POST', headers: { 'content-type': type }, body })).toEqual(
        problemResponse(status, JSON.stringify({ type: 'about:blank', title, status }), 'close'),
      )
    },
  )

  it('answers a schema validation failure with a bare 400 problem', async () => {
    const { url } = await serve({
      routes: (app) =>
        app.post(
          '/typed',
          {
            schema: {
              body: { type: 'object', required: ['title'], properties: { title: { type: 'string' } } },
            },
          },
          async (request) => request.body,
        ),
    })
    expect(
      await call(`${url}/typed`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      }),
    ).toEqual(problemResponse(400, '{"type":"about:blank","title":"Bad Request","status":400}'))
  })

  it('removes Server, X-Powered-By and the headers guards ask to remove; the handler may override others', async () => {
    const { url } = await serve({
      routes: (app) =>
        app.get('/branded', async (_request, reply) => {
          reply
            .header('server', 'fastify')
            .header('x-powered-by', 'Fastify')
            .header('x-removed-by-guard', '1')
          reply.header('cache-control', 'public, max-age=60')
          return 'ok'
        }),
    })
    expect((await call(`${url}/branded`)).headers).toEqual({
      'cache-control': 'public, max-age=60',
      'content-length': '2',
      'content-type': 'text/plain; charset=utf-8',
      'x-content-type-options': 'nosniff',
    })
  })

  it('merges Vary and keeps each cookie once, also on a problem after an error', async () => {
    const cookies: Guard = {
      name: 'cookies',
      check(ctx) {
        ctx.responseHeaders.append('set-cookie', 'a=1; Path=/')
        ctx.responseHeaders.append('set-cookie', 'b=2; Path=/')
        ctx.responseHeaders.set('vary', 'Origin')
      },
    }
    const { url } = await serve({
      security: { guards: [cookies] },
      routes: (app) => {
        app.get('/ok', async (_request, reply) => reply.header('vary', 'Accept-Encoding').send('ok'))
        app.get('/fail', async () => {
          throw new Error('x')
        })
      },
    })
    for (const [path, vary] of [
      ['/ok', 'Accept-Encoding'],
      ['/fail', 'Origin'],
    ] as const) {
      const res = await fetch(`${url}${path}`)
      expect(res.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; Path=/'])
      expect(res.headers.get('vary')).toBe(vary)
    }
  })

  it('reports the final status of every response to outcome.finish', async () => {
    const { url, events } = await serve({ routes: (app) => app.get('/ok', async () => 'ok') })
    await call(`${url}/ok`)
    await call(`${url}/denied`)
    await call(`${url}/ok`, { method: 'OPTIONS', headers: { origin: 'https://a.example' } })
    expect(
      events.map(
        (event) => event.type === 'request.completed' && [event.status, event.verdict, event.reason],
      ),
    ).toEqual([
      [200, 'allow', undefined],
      [403, 'deny', 'cors-denied'],
      [204, 'allow', 'cors-preflight'],
    ])
  })
})
