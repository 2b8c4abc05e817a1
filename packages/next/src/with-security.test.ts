import {
  catalogProblem,
  createSecurity,
  deny,
  type Guard,
  type Outcome,
  SecProblemError,
  type SecurityEvent,
  type SecurityOptions,
} from '@sec/core'
import { redirect } from 'next/navigation.js'
import { NextRequest } from 'next/server.js'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { gate, problemHeaders, readBody, requestId, securityHeaders, sevens } from './testing/guards.js'
import { withSecurity } from './with-security.js'

function setup(options: SecurityOptions = {}) {
  const events: SecurityEvent[] = []
  const security = createSecurity({
    guards: [gate, securityHeaders],
    random: sevens,
    events: (event) => events.push(event),
    ...options,
  })
  return { security, events }
}

const context = <T extends object>(params = {} as T) => ({ params: Promise.resolve(params) })

async function read(response: Response) {
  return {
    status: response.status,
    headers: Object.fromEntries(response.headers),
    body: await response.text(),
  }
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe('withSecurity', () => {
  it('calls the handler with the params and the outcome, and sets the outcome headers on its response', async () => {
    const { security, events } = setup()
    let seen: { params: unknown; verdict: string } | undefined
    const GET = withSecurity<{ id: string }>(security, async (_request, { params, security }) => {
      seen = { params: await params, verdict: security.verdict }
      return Response.json({ ok: true })
    })
    const response = await GET(new NextRequest('http://localhost:3000/v1/notes/n_1'), context({ id: 'n_1' }))
    expect(await read(response)).toEqual({
      status: 200,
      headers: {
        'cache-control': 'no-store',
        'content-type': 'application/json',
        'x-content-type-options': 'nosniff',
      },
      body: '{"ok":true}',
    })
    expect(seen).toEqual({ params: { id: 'n_1' }, verdict: 'allow' })
    expect(events).toMatchObject([{ type: 'request.completed', status: 200, path: '/v1/notes/n_1' }])
  })

  it('answers a denial itself and calls no handler', async () => {
    const { security, events } = setup()
    const handler = vi.fn(() => new Response('no'))
    const response = await withSecurity(security, handler)(
      new NextRequest('http://localhost/denied'),
      context(),
    )
    expect(await read(response)).toEqual({
      status: 403,
      headers: problemHeaders,
      body: '{"type":"urn:sec:problem:cors-denied","title":"CORS Request Denied","status":403}',
    })
    expect(handler).not.toHaveBeenCalled()
    expect(events).toMatchObject([{ type: 'request.completed', status: 403, verdict: 'deny' }])
  })

  it('runs the route guards with the params, catch-all segments joined', async () => {
    const { security } = setup()
    const seen: unknown[] = []
    const route: Guard = {
      name: 'route',
      check(ctx) {
        seen.push(ctx.params)
        if (ctx.params.slug === 'private/x') return deny(catalogProblem('validation-failed'))
      },
    }
    const GET = withSecurity(security, () => new Response('ok'), { guards: [route] })
    expect(
      (await GET(new NextRequest('http://localhost/docs/a/b'), context({ slug: ['a', 'b'] }))).status,
    ).toBe(200)
    expect(
      (await GET(new NextRequest('http://localhost/docs/private/x'), context({ slug: ['private', 'x'] })))
        .status,
    ).toBe(400)
    expect((await GET(new NextRequest('http://localhost/docs'), context({}))).status).toBe(200)
    expect(seen).toEqual([{ slug: 'a/b' }, { slug: 'private/x' }, {}])
  })

  it('gives the handler a request of the same class that still carries a body a guard read', async () => {
    const { security } = setup()
    const POST = withSecurity(
      security,
      async (request, { security }) =>
        Response.json({
          isNextRequest: request instanceof NextRequest,
          path: request.nextUrl.pathname,
          json: await request.json(),
          raw: security.facts.raw,
        }),
      { guards: [readBody(100)] },
    )
    const request = new NextRequest('http://localhost/v1/notes', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"title":"a"}',
    })
    expect(await (await POST(request, context())).json()).toEqual({
      isNextRequest: true,
      path: '/v1/notes',
      json: { title: 'a' },
      raw: '{"title":"a"}',
    })
  })

  it('refuses a body over the guard limit with a 413 problem', async () => {
    const { security } = setup()
    const POST = withSecurity(security, () => new Response('ok'), { guards: [readBody(4)] })
    const response = await POST(
      new NextRequest('http://localhost/v1/notes', { method: 'POST', body: '12345' }),
      context(),
    )
    expect(await read(response)).toEqual({
      status: 413,
      headers: problemHeaders,
      body: '{"detail":"The body exceeds 4 bytes.","type":"urn:sec:problem:body-too-large","title":"Content Too Large","status":413}',
    })
  })

  it('turns an error the handler throws into a 500 with only a correlation id, and logs it', async () => {
    const { security, events } = setup()
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const secret = new Error('db-password=hunter2')
    const response = await withSecurity(security, () => {
      throw secret
    })(new NextRequest('http://localhost/v1/boom'), context())
    expect(await read(response)).toEqual({
      status: 500,
      headers: problemHeaders,
      body: JSON.stringify({
        correlationId: requestId,
        type: 'urn:sec:problem:internal-error',
        title: 'Internal Server Error',
        status: 500,
      }),
    })
    expect(log).toHaveBeenCalledWith(secret)
    expect(events.map((event) => event.type)).toEqual(['request.error', 'request.completed'])
  })

  it.each([
    [
      Object.assign(new Error('no note n_secret'), { status: 404 }),
      404,
      '{"type":"about:blank","title":"Not Found","status":404}',
    ],
    [
      new SecProblemError(catalogProblem('validation-failed', { detail: 'title is required' })),
      400,
      '{"detail":"title is required","type":"urn:sec:problem:validation-failed","title":"Validation Failed","status":400}',
    ],
  ])('answers a thrown %s with its problem, never its message', async (error, status, body) => {
    const { security } = setup()
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const response = await withSecurity(security, () => {
      throw error
    })(new NextRequest('http://localhost/v1/notes/x'), context())
    expect(await read(response)).toEqual({ status, headers: problemHeaders, body })
    expect(log).not.toHaveBeenCalled()
  })

  it("rethrows Next's control-flow errors for Next to handle", async () => {
    const { security } = setup()
    const GET = withSecurity(security, () => redirect('/elsewhere'))
    await expect(GET(new NextRequest('http://localhost/old'), context())).rejects.toMatchObject({
      digest: expect.stringContaining('NEXT_REDIRECT'),
    })
  })

  it('lets the handler keep its own headers, merges Vary, adds cookies once and removes what guards ask', async () => {
    const extras: Guard = {
      name: 'extras',
      check(ctx) {
        ctx.responseHeaders.set('vary', 'Origin')
        ctx.responseHeaders.append('set-cookie', 'a=1')
        ctx.removeResponseHeader('x-powered-by')
      },
    }
    const { security } = setup({ guards: [securityHeaders, extras] })
    const GET = withSecurity(security, () => {
      const response = new Response('ok', {
        headers: { 'cache-control': 'public, max-age=60', vary: 'Accept', 'x-powered-by': 'Next.js' },
      })
      response.headers.append('set-cookie', 'a=1')
      response.headers.append('set-cookie', 'b=2')
      return response
    })
    const response = await GET(new NextRequest('http://localhost/x'), context())
    expect([...response.headers]).toEqual([
      ['cache-control', 'public, max-age=60'],
      ['content-type', 'text/plain;charset=UTF-8'],
      ['set-cookie', 'a=1'],
      ['set-cookie', 'b=2'],
      ['vary', 'Accept, Origin'],
      ['x-content-type-options', 'nosniff'],
    ])
  })

  it('copies a response whose headers are immutable', async () => {
    const { security } = setup()
    const GET = withSecurity(security, () => Response.redirect('http://localhost/new', 308))
    const response = await GET(new NextRequest('http://localhost/old'), context())
    expect(await read(response)).toEqual({
      status: 308,
      headers: {
        'cache-control': 'no-store',
        location: 'http://localhost/new',
        'x-content-type-options': 'nosniff',
      },
      body: '',
    })
  })

  it('reports no peer and plain HTTP unless told, whatever the URL scheme and forwarding headers say', async () => {
    const { security } = setup({ trustProxy: ['loopback'] })
    const clients: Outcome['client'][] = []
    const whoami = (options?: Parameters<typeof withSecurity>[2]) =>
      withSecurity(
        security,
        (_request, { security }) => {
          clients.push(security.client)
          return new Response(null, { status: 204 })
        },
        options,
      )
    const request = () =>
      new NextRequest('https://localhost/whoami', {
        headers: { host: 'localhost', 'x-forwarded-for': '203.0.113.9', 'x-forwarded-proto': 'https' },
      })
    await whoami()(request(), context())
    await whoami({ peer: { remoteAddress: '192.0.2.1', encrypted: true } })(request(), context())
    await whoami({ peer: (req) => ({ remoteAddress: req.headers.get('x-test-peer') ?? '198.51.100.1' }) })(
      request(),
      context(),
    )
    expect(clients.map(({ ip, protocol }) => ({ ip, protocol }))).toEqual([
      { ip: undefined, protocol: 'http' },
      { ip: '192.0.2.1', protocol: 'https' },
      { ip: '198.51.100.1', protocol: 'http' },
    ])
  })

  it('works when Next passes no context', async () => {
    const { security } = setup()
    const GET = withSecurity(security, async (_request, { params }) => Response.json(await params))
    const response = await (GET as (request: Request) => Promise<Response>)(
      new NextRequest('http://localhost/x'),
    )
    expect(await response.text()).toBe('{}')
  })
})
