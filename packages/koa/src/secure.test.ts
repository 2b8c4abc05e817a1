import {
  catalogProblem,
  createSecurity,
  deny,
  type Guard,
  respond,
  SecProblemError,
  type SecurityEvent,
  type SecurityOptions,
} from '@sec/core'
import { type ListeningServer, sendRequest } from '@sec/testkit'
import Koa from 'koa'
import { afterEach, describe, expect, it } from 'vitest'
import { secure } from './index.js'
import { testRouter } from './testing/router.js'
import { serve, stableHeaders } from './testing/serve.js'

let served: ListeningServer | undefined
afterEach(async () => {
  await served?.close()
  served = undefined
})

const securityHeaders: Guard = {
  name: 'headers',
  always: true,
  check: (ctx) => {
    ctx.responseHeaders.set('x-content-type-options', 'nosniff')
    ctx.responseHeaders.set('cache-control', 'no-store')
    ctx.removeResponseHeader('x-powered-by')
  },
}
const denyBlocked: Guard = {
  name: 'blocklist',
  check: (ctx) => (ctx.path === '/blocked' ? deny(catalogProblem('cors-denied')) : undefined),
}
const preflight: Guard = {
  name: 'cors',
  check: (ctx) =>
    ctx.request.method === 'OPTIONS'
      ? respond('cors-preflight', 204, { 'access-control-max-age': '600' })
      : undefined,
}
const decoder = new TextDecoder()
const jsonBody = (limit: number): Guard => ({
  name: 'json',
  check: async (ctx) => {
    ctx.input.body = JSON.parse(decoder.decode(await ctx.body(limit)))
  },
})
const correlationId = '03030303-0303-4303-8303-030303030303'

function app(options: SecurityOptions = {}) {
  const security = createSecurity({
    guards: [denyBlocked, securityHeaders, preflight],
    random: (bytes) => bytes.fill(3),
    ...options,
  })
  const application = new Koa()
  application.silent = true
  application.use(async (ctx, next) => {
    ctx.set('x-powered-by', 'Koa')
    await next()
  })
  application.use(secure(security))
  return application
}

const problemHeaders = (length: number) => ({
  'cache-control': 'no-store',
  connection: 'keep-alive',
  'content-length': String(length),
  'content-type': 'application/problem+json',
  'keep-alive': 'timeout=5',
  'x-content-type-options': 'nosniff',
})

describe('secure(security)', () => {
  it('sets the security headers, removes the asked ones and exposes the outcome', async () => {
    const application = app()
    application.use((ctx) => {
      ctx.body = { verdict: ctx.state.security.verdict, ip: ctx.state.security.client.ip }
    })
    served = await serve(application)
    const response = await fetch(`${served.url}/whoami`)
    expect(response.status).toBe(200)
    expect(stableHeaders(response)).toEqual({
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'content-length': '36',
      'content-type': 'application/json; charset=utf-8',
      'keep-alive': 'timeout=5',
      'x-content-type-options': 'nosniff',
    })
    expect(await response.text()).toBe('{"verdict":"allow","ip":"127.0.0.1"}')
  })

  it('answers a denial itself and runs nothing downstream', async () => {
    let called = false
    const application = app()
    application.use(() => {
      called = true
    })
    served = await serve(application)
    const response = await fetch(`${served.url}/blocked`)
    expect(response.status).toBe(403)
    expect(stableHeaders(response)).toEqual(problemHeaders(81))
    expect(await response.text()).toBe(
      '{"type":"urn:sec:problem:cors-denied","title":"CORS Request Denied","status":403}',
    )
    expect(called).toBe(false)
  })

  it('answers a preflight with 204 and no body', async () => {
    served = await serve(app())
    const response = await fetch(`${served.url}/anything`, { method: 'OPTIONS' })
    expect(response.status).toBe(204)
    expect(stableHeaders(response)).toEqual({
      'access-control-max-age': '600',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'keep-alive': 'timeout=5',
      'x-content-type-options': 'nosniff',
    })
    expect(await response.text()).toBe('')
  })

  it('answers a request nothing answered with a 404 problem', async () => {
    served = await serve(app())
    const response = await fetch(`${served.url}/nowhere`)
    expect(response.status).toBe(404)
    expect(stableHeaders(response)).toEqual(problemHeaders(55))
    expect(await response.text()).toBe('{"type":"about:blank","title":"Not Found","status":404}')
  })

  it('answers a target Koa cannot read a path from with a 400 problem, running nothing downstream', async () => {
    let called = false
    const application = app()
    application.use(() => {
      called = true
    })
    served = await serve(application)
    const response = await sendRequest(served.url, {
      method: 'GET',
      target: '/\\%ZZ@a#',
      headers: [['Host', 'api.example.com']],
    })
    expect(response.status).toBe(400)
    expect(response.headers['content-type']).toBe('application/problem+json')
    expect(response.headers['x-content-type-options']).toBe('nosniff')
    expect(response.body).toBe('{"type":"about:blank","title":"Bad Request","status":400}')
    expect(called).toBe(false)
  })

  it('leaves an empty 204 and a handled 404 with a body alone', async () => {
    const application = app()
    application.use((ctx) => {
      if (ctx.path === '/empty') ctx.status = 204
      else {
        ctx.status = 404
        ctx.body = { missing: true }
      }
    })
    served = await serve(application)
    expect((await fetch(`${served.url}/empty`)).status).toBe(204)
    const custom = await fetch(`${served.url}/custom`)
    expect(custom.status).toBe(404)
    expect(await custom.text()).toBe('{"missing":true}')
  })

  it('turns a thrown Error into a 500 with only a correlation id, keeps security headers, drops the rest', async () => {
    const events: SecurityEvent[] = []
    const emitted: unknown[] = []
    const application = app({ events: (event) => events.push(event) })
    application.on('error', (error) => emitted.push(error))
    application.use((ctx) => {
      ctx.set('content-disposition', 'attachment')
      throw new Error('db password is hunter2')
    })
    served = await serve(application)
    const response = await fetch(`${served.url}/boom`)
    const body = `{"correlationId":"${correlationId}","type":"urn:sec:problem:internal-error","title":"Internal Server Error","status":500}`
    expect(response.status).toBe(500)
    expect(stableHeaders(response)).toEqual(problemHeaders(body.length))
    expect(await response.text()).toBe(body)
    expect(events[0]).toMatchObject({ type: 'request.error', requestId: correlationId, path: '/boom' })
    expect(emitted).toEqual([expect.objectContaining({ message: 'db password is hunter2' })])
  })

  it('turns ctx.throw(404) into a bare 404 problem, and keeps an exposed error’s headers', async () => {
    const application = app()
    application.use((ctx) => {
      if (ctx.path === '/gone') ctx.throw(404, 'No note n_1 for tenant 7')
      ctx.throw(405, 'Use GET', { headers: { Allow: 'GET' } })
    })
    served = await serve(application)
    const gone = await fetch(`${served.url}/gone`)
    expect(gone.status).toBe(404)
    expect(stableHeaders(gone)).toEqual(problemHeaders(55))
    expect(await gone.text()).toBe('{"type":"about:blank","title":"Not Found","status":404}')
    const wrong = await fetch(`${served.url}/wrong`)
    expect(wrong.status).toBe(405)
    expect(stableHeaders(wrong)).toEqual({ ...problemHeaders(64), allow: 'GET' })
  })

  it('keeps the problem of a SecProblemError thrown by a handler', async () => {
    const application = app()
    application.use(() => {
      throw new SecProblemError(catalogProblem('validation-failed'))
    })
    served = await serve(application)
    const response = await fetch(`${served.url}/x`)
    expect(response.status).toBe(400)
    expect(await response.text()).toBe(
      '{"type":"urn:sec:problem:validation-failed","title":"Validation Failed","status":400}',
    )
  })

  it('leaves an error after the response started to Koa', async () => {
    const emitted: unknown[] = []
    const application = app()
    application.on('error', (error) => emitted.push(error))
    application.use((ctx) => {
      ctx.respond = false
      ctx.res.write('partial')
      throw new Error('stream broke')
    })
    served = await serve(application)
    const failure = await fetch(`${served.url}/stream`)
      .then((response) => response.text())
      .catch((error: Error) => error)
    expect(failure).toBeInstanceOf(Error)
    expect(emitted).toEqual([expect.objectContaining({ message: 'stream broke', headerSent: true })])
  })

  it('sees the original URL and reports the status sent', async () => {
    const events: SecurityEvent[] = []
    const application = app({ events: (event) => events.push(event) })
    application.use((ctx) => {
      ctx.status = 201
      ctx.body = 'created'
    })
    served = await serve(application)
    await fetch(`${served.url}/notes?q=1`, { method: 'POST' })
    await fetch(`${served.url}/blocked`)
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(
      events.map((event) => event.type === 'request.completed' && [event.path, event.status, event.reason]),
    ).toEqual([
      ['/notes', 201, undefined],
      ['/blocked', 403, 'cors-denied'],
    ])
  })

  it('refuses something that is not a Security', () => {
    expect(() => secure({} as never)).toThrowError(
      expect.objectContaining({
        code: 'SEC_CONFIG',
        message: 'secure(security): Expected the Security that createSecurity() returns.',
      }),
    )
  })
})

describe('secure.route(...guards)', () => {
  it('runs route guards with ctx.params and applies their headers', async () => {
    const seen: unknown[] = []
    const rateLimit: Guard = {
      name: 'rate-limit',
      check: (ctx) => {
        seen.push(ctx.params)
        ctx.responseHeaders.set('ratelimit', 'limit=10, remaining=9, reset=1')
      },
    }
    const application = app()
    application.use(
      testRouter([
        {
          method: 'GET',
          path: '/notes/:id',
          handlers: [
            secure.route(rateLimit),
            (ctx) => {
              ctx.body = { id: ctx.params.id }
            },
          ],
        },
      ]),
    )
    served = await serve(application)
    const response = await fetch(`${served.url}/notes/n_1`)
    expect(response.status).toBe(200)
    expect(response.headers.get('ratelimit')).toBe('limit=10, remaining=9, reset=1')
    expect(response.headers.get('x-content-type-options')).toBe('nosniff')
    expect(await response.text()).toBe('{"id":"n_1"}')
    expect(seen).toEqual([{ id: 'n_1' }])
  })

  it('answers a route guard denial with the app-wide headers', async () => {
    const application = app()
    application.use(
      testRouter([
        {
          method: 'GET',
          path: '/private',
          handlers: [
            secure.route({ name: 'auth', check: () => deny(catalogProblem('https-required')) }),
            (ctx) => {
              ctx.body = 'secret'
            },
          ],
        },
      ]),
    )
    served = await serve(application)
    const response = await fetch(`${served.url}/private`)
    expect(response.status).toBe(403)
    expect(stableHeaders(response)).toEqual(problemHeaders(79))
    expect(await response.text()).toBe(
      '{"type":"urn:sec:problem:https-required","title":"HTTPS Required","status":403}',
    )
  })

  it('refuses an argument that is not a guard, naming its position', () => {
    expect(() => secure.route(preflight, { name: 'x' } as never)).toThrowError(
      expect.objectContaining({
        code: 'SEC_CONFIG',
        message:
          'secure.route[1]: Expected a guard (an object with a name and a check function), such as validate({ ... }).',
      }),
    )
  })

  it('fails with SEC_NOT_MOUNTED when secure(security) did not run', async () => {
    const emitted: unknown[] = []
    const application = new Koa()
    application.on('error', (error) => emitted.push(error))
    application.use(secure.route(preflight))
    served = await serve(application)
    expect((await fetch(`${served.url}/x`)).status).toBe(500)
    expect(emitted).toEqual([
      expect.objectContaining({
        code: 'SEC_NOT_MOUNTED',
        message:
          'secure.route() needs secure(security) to run first: add app.use(secure(security)) before your router.',
      }),
    ])
  })
})

describe('bodies read by guards', () => {
  it('hands the parsed body to ctx.request.body and tells body parsers to skip', async () => {
    const application = app()
    application.use(secure.route(jsonBody(100)))
    application.use((ctx) => {
      ctx.status = 201
      ctx.body = {
        fromOutcome: ctx.state.security.body,
        fromRequest: (ctx.request as { body?: unknown }).body,
        skip: (ctx as { disableBodyParser?: boolean }).disableBodyParser,
      }
    })
    served = await serve(application)
    const response = await fetch(`${served.url}/notes`, { method: 'POST', body: '{"title":"a"}' })
    expect(response.status).toBe(201)
    expect(await response.text()).toBe(
      '{"fromOutcome":{"title":"a"},"fromRequest":{"title":"a"},"skip":true}',
    )
  })

  it('answers a 10 MB upload with the 413 and closes the connection', async () => {
    const application = app()
    application.use(secure.route(jsonBody(1024)))
    served = await serve(application)
    const response = await fetch(`${served.url}/notes`, {
      method: 'POST',
      body: new Uint8Array(10 * 1024 * 1024),
    })
    expect(response.status).toBe(413)
    expect(stableHeaders(response)).toEqual({
      'cache-control': 'no-store',
      connection: 'close',
      'content-length': '122',
      'content-type': 'application/problem+json',
      'x-content-type-options': 'nosniff',
    })
    expect(await response.text()).toBe(
      '{"detail":"The body exceeds 1024 bytes.","type":"urn:sec:problem:body-too-large","title":"Content Too Large","status":413}',
    )
  })
})
