import {
  catalogProblem,
  createSecurity,
  deny,
  type Guard,
  ResponseHeaders,
  type SecurityEvent,
} from '@sec/core'
import { afterEach, describe, expect, it } from 'vitest'
import { fromNodeRequest } from '../request/from-node-request.js'
import { listen, rawRequest, type TestServer } from '../testing/test-server.js'
import { applyOutcomeHeaders } from './apply-outcome-headers.js'
import { reportFinish } from './report-finish.js'
import { sendResponse } from './send-response.js'
import { setResponseHeaders } from './set-response-headers.js'

function responseHeaders(record: Record<string, string>): ResponseHeaders {
  const headers = new ResponseHeaders()
  for (const [name, value] of Object.entries(record)) headers.set(name, value)
  return headers
}

let server: TestServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

const securityHeaders: Guard = {
  name: 'headers',
  always: true,
  check: (ctx) => {
    ctx.responseHeaders.set('x-content-type-options', 'nosniff')
    ctx.responseHeaders.append('vary', 'Origin')
    ctx.removeResponseHeader('X-Powered-By')
  },
}
const denyPath: Guard = {
  name: 'deny-path',
  check: (ctx) => (ctx.path === '/denied' ? deny(catalogProblem('cors-denied')) : undefined),
}

function withoutDate(text: string): string {
  return text.replace(/\r\nDate: [^\r]+/, '')
}

describe('applying an outcome to a node:http response', () => {
  it('sets the outcome headers, removes the asked ones, and lets the handler win', async () => {
    const security = createSecurity({ guards: [securityHeaders] })
    server = await listen(async (req, res) => {
      res.setHeader('x-powered-by', 'Express')
      res.setHeader('vary', 'Accept-Encoding')
      const outcome = await security.protect(fromNodeRequest(req))
      applyOutcomeHeaders(res, outcome)
      applyOutcomeHeaders(res, outcome)
      res.setHeader('content-type', 'text/plain')
      res.end('ok')
    })
    const text = await rawRequest(server.port, 'GET / HTTP/1.1\r\nHost: a.test\r\nConnection: close\r\n\r\n')
    expect(withoutDate(text)).toBe(
      [
        'HTTP/1.1 200 OK',
        'vary: Accept-Encoding, Origin',
        'x-content-type-options: nosniff',
        'content-type: text/plain',
        'Connection: close',
        'Content-Length: 2',
        '',
        'ok',
      ].join('\r\n'),
    )
  })

  it('applies the outcome again after route guards only when they changed its headers', async () => {
    const addsHeader: Guard = { name: 'adds', check: (ctx) => ctx.responseHeaders.set('x-route', 'yes') }
    const passes: Guard = { name: 'passes', check: () => undefined }
    const security = createSecurity({ guards: [securityHeaders] })
    server = await listen(async (req, res) => {
      const outcome = await security.protect(fromNodeRequest(req))
      applyOutcomeHeaders(res, outcome)
      // A middleware between the app and the route changes a header the outcome also sets.
      res.setHeader('x-content-type-options', 'changed')
      const guards = req.url === '/adds' ? [addsHeader] : [passes]
      applyOutcomeHeaders(res, await security.resume(outcome, { guards }))
      res.end()
    })
    const request = (path: string) =>
      rawRequest(server?.port ?? 0, `GET ${path} HTTP/1.1\r\nHost: a.test\r\nConnection: close\r\n\r\n`)
    const head = (text: string) => withoutDate(text).split('\r\n').slice(0, 4)
    expect(head(await request('/passes'))).toEqual([
      'HTTP/1.1 200 OK',
      'x-content-type-options: changed',
      'vary: Origin',
      'Connection: close',
    ])
    expect(head(await request('/adds'))).toEqual([
      'HTTP/1.1 200 OK',
      'x-content-type-options: nosniff',
      'vary: Origin',
      'x-route: yes',
    ])
  })

  it('sends a denial exactly, keeping the connection when the request is complete', async () => {
    const security = createSecurity({ guards: [denyPath, securityHeaders] })
    server = await listen(async (req, res) => {
      res.setHeader('x-powered-by', 'Express')
      const outcome = await security.protect(fromNodeRequest(req))
      if (outcome.response === undefined) throw new Error('expected a denial')
      for (const name of outcome.removeHeaders) res.removeHeader(name)
      sendResponse(res, outcome.response)
    })
    const body = '{"type":"urn:sec:problem:cors-denied","title":"CORS Request Denied","status":403}'
    const text = await rawRequest(
      server.port,
      'POST /denied HTTP/1.1\r\nHost: a.test\r\nContent-Length: 2\r\n\r\n{}GET /denied HTTP/1.1\r\nHost: a.test\r\nConnection: close\r\n\r\n',
    )
    // The guards' headers in the order they were set, then the problem's own.
    const one = [
      'HTTP/1.1 403 Forbidden',
      'x-content-type-options: nosniff',
      'vary: Origin',
      'content-type: application/problem+json',
      'cache-control: no-store',
    ]
    expect(withoutDate(text).replace(/\r\nDate: [^\r]+/, '')).toBe(
      [
        ...one,
        'Connection: keep-alive',
        'Keep-Alive: timeout=5',
        `Content-Length: ${body.length}`,
        '',
        `${body}${one.join('\r\n')}`,
        'Connection: close',
        `Content-Length: ${body.length}`,
        '',
        body,
      ].join('\r\n'),
    )
  })

  it('answers a preflight-style response without a body', async () => {
    server = await listen((_req, res) => {
      sendResponse(res, {
        status: 204,
        headers: responseHeaders({ 'access-control-max-age': '600' }),
        body: null,
      })
    })
    const text = await rawRequest(
      server.port,
      'OPTIONS / HTTP/1.1\r\nHost: a.test\r\nConnection: close\r\n\r\n',
    )
    expect(withoutDate(text)).toBe(
      ['HTTP/1.1 204 No Content', 'access-control-max-age: 600', 'Connection: close', '', ''].join('\r\n'),
    )
  })

  it('keeps every Set-Cookie line once, next to cookies already set', async () => {
    server = await listen((_req, res) => {
      res.setHeader('set-cookie', 'a=1')
      const headers = new ResponseHeaders()
      headers.append('set-cookie', 'b=2')
      headers.append('set-cookie', 'a=1')
      setResponseHeaders(res, headers)
      setResponseHeaders(res, headers)
      res.end()
    })
    const response = await fetch(server.url)
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2'])
  })

  it('sets every header and each Set-Cookie line on a response with none yet, and changes nothing the second time', async () => {
    server = await listen((_req, res) => {
      const headers = responseHeaders({ 'x-frame-options': 'DENY', vary: 'Origin' })
      headers.append('set-cookie', 'a=1')
      headers.append('set-cookie', 'b=2')
      setResponseHeaders(res, headers)
      setResponseHeaders(res, headers)
      res.end()
    })
    const text = withoutDate(
      await rawRequest(server.port, 'GET / HTTP/1.1\r\nHost: a.test\r\nConnection: close\r\n\r\n'),
    )
    expect(text).toBe(
      [
        'HTTP/1.1 200 OK',
        'x-frame-options: DENY',
        'vary: Origin',
        'set-cookie: a=1',
        'set-cookie: b=2',
        'Connection: close',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n'),
    )
  })

  it('does not add Vary tokens already there, and leaves Vary: * alone', async () => {
    server = await listen((req, res) => {
      res.setHeader('vary', req.url === '/star' ? '*' : 'origin, Accept')
      setResponseHeaders(res, responseHeaders({ vary: 'Origin, Accept-Encoding' }))
      res.end()
    })
    expect((await fetch(server.url)).headers.get('vary')).toBe('origin, Accept, Accept-Encoding')
    expect((await fetch(`${server.url}/star`)).headers.get('vary')).toBe('*')
  })
})

describe('reportFinish', () => {
  it('reports the status sent, once', async () => {
    const events: SecurityEvent[] = []
    const security = createSecurity({ events: (event) => events.push(event) })
    let done: () => void = () => undefined
    const reported = new Promise<void>((resolve) => {
      done = resolve
    })
    server = await listen(async (req, res) => {
      const outcome = await security.protect(fromNodeRequest(req))
      reportFinish(res, outcome)
      res.once('close', () => setImmediate(done))
      res.statusCode = 202
      res.end()
    })
    await fetch(server.url)
    await reported
    expect(events.map((event) => event.type === 'request.completed' && event.status)).toEqual([202])
  })

  it('reports 499 when the client leaves before the response started', async () => {
    const events: SecurityEvent[] = []
    const security = createSecurity({ events: (event) => events.push(event) })
    let done: () => void = () => undefined
    const reported = new Promise<void>((resolve) => {
      done = resolve
    })
    const controller = new AbortController()
    server = await listen(async (req, res) => {
      const outcome = await security.protect(fromNodeRequest(req))
      reportFinish(res, outcome)
      res.once('close', () => setImmediate(done))
      // The client leaves once the server holds the request, however slow the machine is.
      controller.abort()
    })
    await fetch(server.url, { signal: controller.signal }).catch(() => undefined)
    await reported
    expect(events.map((event) => event.type === 'request.completed' && event.status)).toEqual([499])
  })

  it('listens for nothing when the outcome has no one to report to', async () => {
    const security = createSecurity()
    const listeners: number[] = []
    server = await listen(async (req, res) => {
      const outcome = await security.protect(fromNodeRequest(req))
      const before = res.listenerCount('close')
      reportFinish(res, outcome)
      listeners.push(res.listenerCount('close') - before)
      res.end()
    })
    const observed = await listen(async (req, res) => {
      const outcome = await createSecurity({ events: () => undefined }).protect(fromNodeRequest(req))
      const before = res.listenerCount('close')
      reportFinish(res, outcome)
      listeners.push(res.listenerCount('close') - before)
      res.end()
    })
    try {
      await fetch(server.url)
      await fetch(observed.url)
    } finally {
      await observed.close()
    }
    expect(listeners).toEqual([0, 1])
  })
})
