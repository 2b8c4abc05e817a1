import { catalogProblem, createSecurity, type Guard, SecProblemError, type SecurityEvent } from '@sec/core'
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
  check: (ctx) => void ctx.responseHeaders.set('x-content-type-options', 'nosniff'),
}
const correlationId = '02020202-0202-4202-8202-020202020202'

function app(events: SecurityEvent[] = []) {
  const security = createSecurity({
    guards: [securityHeaders],
    random: (bytes) => bytes.fill(2),
    events: (event) => events.push(event),
  })
  const application = express()
  application.use(secure(security))
  application.use(express.json())
  return application
}

function finish(application: express.Express) {
  application.use(secure.notFound())
  application.use(secure.errorHandler())
  return serve(application)
}

const problemHeaders = (length: number) => ({
  'cache-control': 'no-store',
  connection: 'keep-alive',
  'content-length': String(length),
  'content-type': 'application/problem+json',
  'keep-alive': 'timeout=5',
  'x-content-type-options': 'nosniff',
})

describe('secure.errorHandler()', () => {
  it('turns a thrown Error into a 500 with only a correlation id, and emits it', async () => {
    const events: SecurityEvent[] = []
    const application = app(events)
    application.get('/boom', async () => {
      throw new Error('db password is hunter2')
    })
    served = await finish(application)
    const response = await fetch(`${served.url}/boom`)
    const body = `{"correlationId":"${correlationId}","type":"urn:sec:problem:internal-error","title":"Internal Server Error","status":500}`
    expect(response.status).toBe(500)
    expect(stableHeaders(response)).toEqual(problemHeaders(body.length))
    expect(await response.text()).toBe(body)
    expect(events[0]).toMatchObject({ type: 'request.error', requestId: correlationId, path: '/boom' })
  })

  it('turns an error with status 404 into a bare 404 problem', async () => {
    const application = app()
    application.get('/notes/:id', () => {
      throw Object.assign(new Error('No note n_1 for tenant 7'), { status: 404 })
    })
    served = await finish(application)
    const response = await fetch(`${served.url}/notes/n_1`)
    expect(response.status).toBe(404)
    expect(stableHeaders(response)).toEqual(problemHeaders(55))
    expect(await response.text()).toBe('{"type":"about:blank","title":"Not Found","status":404}')
  })

  it("answers body-parser's malformed JSON with a bare 400", async () => {
    const application = app()
    application.post('/notes', (_req, res) => {
      res.status(201).end()
    })
    served = await finish(application)
    const response = await fetch(`${served.url}/notes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"title": ',
    })
    expect(response.status).toBe(400)
    expect(stableHeaders(response)).toEqual(problemHeaders(57))
    expect(await response.text()).toBe('{"type":"about:blank","title":"Bad Request","status":400}')
  })

  it('keeps the problem and headers of a SecProblemError', async () => {
    const application = app()
    application.get('/x', () => {
      throw new SecProblemError(catalogProblem('validation-failed'), { 'x-reason': 'shape' })
    })
    served = await finish(application)
    const response = await fetch(`${served.url}/x`)
    expect(response.status).toBe(400)
    expect(response.headers.get('x-reason')).toBe('shape')
    expect(await response.text()).toBe(
      '{"type":"urn:sec:problem:validation-failed","title":"Validation Failed","status":400}',
    )
  })

  it('keeps the headers of an exposed http error, drops those of any other, and drops body headers', async () => {
    const application = app()
    application.get('/exposed', (_req, res) => {
      res.setHeader('content-disposition', 'attachment; filename="notes.csv"')
      throw Object.assign(new Error('Method Not Allowed'), {
        status: 405,
        expose: true,
        headers: { Allow: 'GET' },
      })
    })
    application.get('/upstream', () => {
      throw Object.assign(new Error('upstream said 404'), {
        statusCode: 404,
        headers: { 'set-cookie': 'up=1' },
      })
    })
    served = await finish(application)
    const exposed = await fetch(`${served.url}/exposed`)
    expect(exposed.status).toBe(405)
    expect(stableHeaders(exposed)).toEqual({ ...problemHeaders(64), allow: 'GET' })
    expect(await exposed.text()).toBe('{"type":"about:blank","title":"Method Not Allowed","status":405}')
    const upstream = await fetch(`${served.url}/upstream`)
    expect(upstream.status).toBe(404)
    expect(stableHeaders(upstream)).toEqual(problemHeaders(55))
  })

  it('hands an error after the response started to Express, which closes the connection', async () => {
    const application = app()
    application.get('/stream', (_req, res, next) => {
      res.write('partial')
      next(new Error('stream broke'))
    })
    served = await finish(application)
    const failure = await fetch(`${served.url}/stream`)
      .then((response) => response.text())
      .catch((error: Error) => error)
    expect(failure).toBeInstanceOf(Error)
  })

  it('hands errors to Express when secure(security) did not run for the request', async () => {
    const application = express()
    application.get('/x', () => {
      throw Object.assign(new Error('nope'), { status: 418 })
    })
    application.use(secure.errorHandler())
    served = await serve(application)
    const response = await fetch(`${served.url}/x`)
    expect(response.status).toBe(418)
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8')
  })
})

describe('secure.notFound()', () => {
  it('answers unknown paths with a 404 problem and the security headers', async () => {
    served = await finish(app())
    const response = await fetch(`${served.url}/nowhere`)
    expect(response.status).toBe(404)
    expect(stableHeaders(response)).toEqual(problemHeaders(55))
    expect(await response.text()).toBe('{"type":"about:blank","title":"Not Found","status":404}')
  })

  it('fails with SEC_NOT_MOUNTED when secure(security) did not run', async () => {
    const errors: unknown[] = []
    const application = express()
    application.use(secure.notFound())
    application.use(((error, _req, res, _next) => {
      errors.push(error)
      res.status(500).end()
    }) as express.ErrorRequestHandler)
    served = await serve(application)
    await fetch(`${served.url}/x`)
    expect(errors).toEqual([expect.objectContaining({ code: 'SEC_NOT_MOUNTED' })])
  })
})
