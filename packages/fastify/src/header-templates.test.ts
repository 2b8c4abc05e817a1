import { createSecurity, type Guard, headers, ResponseHeaders } from '@sec/core'
import { securityHeaders as apiHeaders } from '@sec/testkit'
import Fastify, { type FastifyReply } from 'fastify'
import { describe, expect, it } from 'vitest'
import { HeaderTemplates } from './header-templates.js'
import { call, servePerTest } from './testing/serve-app.js'

const serve = servePerTest()

/** Many headers, as the `api` preset sets, in a fixed order, and one that varies per request. */
const manyHeaders: Guard[] = [
  headers('api'),
  {
    name: 'per-request',
    check(ctx) {
      ctx.responseHeaders.set('x-request-path', ctx.path)
    },
  },
]

describe('the header templates of the Fastify plugin', () => {
  it('give every request its own values, identical to setting them one by one', async () => {
    const server = await serve({
      security: { guards: manyHeaders },
      routes: (app) => app.get('/*', async () => 'ok'),
    })
    for (const path of ['/a', '/b', '/a']) {
      const res = await call(`${server.url}${path}`)
      expect(res.status).toBe(200)
      expect(res.headers).toEqual({
        ...apiHeaders,
        'content-length': '2',
        'content-type': 'text/plain; charset=utf-8',
        'x-request-path': path,
      })
    }
  })

  it('let the handler read, replace and remove the headers', async () => {
    const server = await serve({
      security: { guards: manyHeaders },
      routes: (app) =>
        app.get('/*', async (_request, reply) => {
          const seen = reply.getHeader('x-frame-options')
          reply.removeHeader('x-xss-protection')
          reply.header('cache-control', 'max-age=60')
          return { seen, has: reply.hasHeader('x-request-path') }
        }),
    })
    for (const path of ['/one', '/two']) {
      const res = await call(`${server.url}${path}`)
      expect(res.body).toBe('{"seen":"DENY","has":true}')
      const { 'x-xss-protection': _removed, ...kept } = apiHeaders
      expect(res.headers).toEqual({
        ...kept,
        'cache-control': 'max-age=60',
        'content-length': '26',
        'content-type': 'application/json; charset=utf-8',
        'x-request-path': path,
      })
    }
  })

  it('keep the headers an earlier hook set, adding the outcome after them', async () => {
    const server = await serve({
      security: { guards: manyHeaders },
      beforePlugin: (app) =>
        app.addHook('onRequest', async (_request, reply) => {
          reply.header('x-early', 'yes')
          reply.header('x-frame-options', 'SAMEORIGIN')
        }),
      routes: (app) => app.get('/*', async () => 'ok'),
    })
    for (const path of ['/x', '/y']) {
      const res = await call(`${server.url}${path}`)
      expect(res.headers).toEqual({
        ...apiHeaders,
        'content-length': '2',
        'content-type': 'text/plain; charset=utf-8',
        'x-early': 'yes',
        'x-request-path': path,
      })
    }
  })
})

describe('HeaderTemplates', () => {
  function headerSet(entries: [string, string][]): ResponseHeaders {
    const set = new ResponseHeaders()
    for (const [name, value] of entries) set.append(name, value)
    return set
  }

  /** Sets each header set on a fresh reply, in an onRequest hook, after `before` ran on it. */
  async function apply(
    sets: [string, string][][],
    before: (reply: FastifyReply) => void = () => undefined,
  ): Promise<{ placed: boolean; headers: Record<string, unknown> }[]> {
    const templates = new HeaderTemplates()
    const app = Fastify()
    let next = 0
    const results: { placed: boolean; headers: Record<string, unknown> }[] = []
    app.addHook('onRequest', async (_request, reply) => {
      before(reply)
      const placed = templates.set(reply, headerSet(sets[next++] ?? []))
      results.push({ placed, headers: { ...reply.getHeaders() } })
    })
    app.get('/', async () => '')
    for (let i = 0; i < sets.length; i++) await app.inject({ url: '/' })
    await app.close()
    return results
  }

  it('fills a template only for the same names in the same order', async () => {
    const sets: [string, string][][] = [
      [
        ['x-a', '1'],
        ['x-b', '2'],
      ],
      [
        ['x-b', '3'],
        ['x-a', '4'],
      ],
      [['x-a', '5']],
      [
        ['x-a', '6'],
        ['x-b', '7'],
      ],
    ]
    const results = await apply(sets)
    expect(results.map(({ placed }) => placed)).toEqual([true, true, true, true])
    expect(results.map(({ headers }) => Object.entries(headers))).toEqual(sets)
  })

  it('declines an outcome with cookies, and a reply that already has headers', async () => {
    const withCookie = await apply([
      [
        ['x-a', '1'],
        ['set-cookie', 'a=1'],
      ],
    ])
    expect(withCookie).toEqual([{ placed: false, headers: {} }])
    const withHeaders = await apply([[['x-a', '1']]], (reply) => reply.header('x-early', 'yes'))
    expect(withHeaders).toEqual([{ placed: false, headers: { 'x-early': 'yes' } }])
  })

  it('works through a security made elsewhere than the test helpers', async () => {
    const app = Fastify()
    const { default: secFastify } = await import('./index.js')
    await app.register(secFastify, { security: createSecurity({ guards: [headers('api')] }) })
    app.get('/', async () => 'ok')
    const first = await app.inject({ url: '/' })
    const second = await app.inject({ url: '/' })
    await app.close()
    expect(second.headers).toEqual(first.headers)
    expect(first.headers['x-frame-options']).toBe('DENY')
  })
})
