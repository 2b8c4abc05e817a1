import {
  catalogProblem,
  createSecurity,
  deny,
  type Guard,
  respond,
  type SecurityEvent,
  type SecurityOptions,
} from '@sec/core'
import type { ListeningServer } from '@sec/testkit'
import express from 'express'
import { afterEach, describe, expect, it } from 'vitest'
import { secure } from './index.js'
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

function app(options: SecurityOptions = {}) {
  const security = createSecurity({ guards: [denyBlocked, securityHeaders, preflight], ...options })
  const application = express()
  application.use(secure(security))
  return application
}

describe('secure(security)', () => {
  it('sets the security headers, removes X-Powered-By and exposes the outcome', async () => {
    const application = app()
    application.get('/whoami', (req, res) => {
      res.json({ verdict: req.security.verdict, ip: req.security.client.ip })
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

  it('answers a denial itself, with the headers of always-guards, and calls no handler', async () => {
    let called = false
    const application = app()
    application.get('/blocked', (_req, res) => {
      called = true
      res.end()
    })
    served = await serve(application)
    const response = await fetch(`${served.url}/blocked`)
    expect(response.status).toBe(403)
    expect(stableHeaders(response)).toEqual({
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'content-length': '81',
      'content-type': 'application/problem+json',
      'keep-alive': 'timeout=5',
      'x-content-type-options': 'nosniff',
    })
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

  it('sees the full path of a request that reaches it through a mounted router', async () => {
    const paths: string[] = []
    const security = createSecurity({ guards: [{ name: 'spy', check: (ctx) => void paths.push(ctx.path) }] })
    const application = express()
    const router = express.Router()
    router.use(secure(security))
    router.get('/x', (_req, res) => res.end())
    application.use('/api', router)
    served = await serve(application)
    await fetch(`${served.url}/api/x?q=1`)
    expect(paths).toEqual(['/api/x'])
  })

  it('reports the status sent to outcome.finish()', async () => {
    const events: SecurityEvent[] = []
    const application = app({ events: (event) => events.push(event) })
    application.post('/created', (_req, res) => {
      res.status(201).end()
    })
    served = await serve(application)
    await fetch(`${served.url}/created`, { method: 'POST' })
    await fetch(`${served.url}/blocked`)
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(events.map((event) => event.type === 'request.completed' && [event.status, event.reason])).toEqual(
      [
        [201, undefined],
        [403, 'cors-denied'],
      ],
    )
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
  it('runs route guards with the route params and applies their headers', async () => {
    const seen: unknown[] = []
    const rateLimit: Guard = {
      name: 'rate-limit',
      check: (ctx) => {
        seen.push(ctx.params)
        ctx.responseHeaders.set('ratelimit', 'limit=10, remaining=9, reset=1')
      },
    }
    const application = app()
    application.get('/notes/:id', secure.route(rateLimit), (req, res) => {
      res.json({ id: req.params.id })
    })
    application.get('/files/*path', secure.route(rateLimit), (_req, res) => {
      res.end()
    })
    served = await serve(application)
    const response = await fetch(`${served.url}/notes/n_1`)
    expect(response.status).toBe(200)
    expect(response.headers.get('ratelimit')).toBe('limit=10, remaining=9, reset=1')
    expect(response.headers.get('x-content-type-options')).toBe('nosniff')
    expect(await response.text()).toBe('{"id":"n_1"}')
    await fetch(`${served.url}/files/a/b.txt`)
    expect(seen).toEqual([{ id: 'n_1' }, { path: 'a/b.txt' }])
  })

  it('answers a route guard denial with the app-wide headers', async () => {
    const application = app()
    application.get(
      '/private',
      secure.route({ name: 'auth', check: () => deny(catalogProblem('https-required')) }),
      (_req, res) => {
        res.end('secret')
      },
    )
    served = await serve(application)
    const response = await fetch(`${served.url}/private`)
    expect(response.status).toBe(403)
    expect(response.headers.get('x-content-type-options')).toBe('nosniff')
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
    const errors: unknown[] = []
    const application = express()
    application.get('/x', secure.route(preflight), (_req, res) => res.end())
    application.use(((error, _req, res, _next) => {
      errors.push(error)
      res.status(500).end()
    }) as express.ErrorRequestHandler)
    served = await serve(application)
    expect((await fetch(`${served.url}/x`)).status).toBe(500)
    expect(errors).toEqual([
      expect.objectContaining({
        code: 'SEC_NOT_MOUNTED',
        message:
          'secure.route() needs secure(security) to run first: add app.use(secure(security)) before your routes.',
      }),
    ])
  })
})

describe('bodies read by guards', () => {
  it('hands the parsed body to the handler, and express.json() after it does not wait for the stream', async () => {
    const application = app()
    application.post('/notes', secure.route(jsonBody(100)), express.json(), (req, res) => {
      res.status(201).json({ fromOutcome: req.security.body, fromReq: req.body })
    })
    served = await serve(application)
    const response = await fetch(`${served.url}/notes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"title":"a"}',
    })
    expect(response.status).toBe(201)
    expect(await response.text()).toBe('{"fromOutcome":{"title":"a"},"fromReq":{"title":"a"}}')
  })

  it('answers a 10 MB upload with the 413 and closes the connection', async () => {
    const application = app()
    application.post('/notes', secure.route(jsonBody(1024)), (_req, res) => {
      res.status(201).end()
    })
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

  it('turns a body already consumed by express.json() into a 500 and a SEC_BODY_CONSUMED event', async () => {
    const events: SecurityEvent[] = []
    const security = createSecurity({
      events: (event) => events.push(event),
      random: (bytes) => bytes.fill(1),
    })
    const application = express()
    application.use(express.json())
    application.use(secure(security))
    application.post('/notes', secure.route(jsonBody(100)), (_req, res) => {
      res.status(201).end()
    })
    served = await serve(application)
    const response = await fetch(`${served.url}/notes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"title":"a"}',
    })
    expect(response.status).toBe(500)
    expect(await response.text()).toBe(
      '{"correlationId":"01010101-0101-4101-8101-010101010101","type":"urn:sec:problem:internal-error","title":"Internal Server Error","status":500}',
    )
    expect(events[0]).toMatchObject({ type: 'request.error', error: { code: 'SEC_BODY_CONSUMED' } })
  })
})
