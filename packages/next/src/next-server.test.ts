import { type HeaderLines, securityHeaders, sendRequest } from '@sec/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type NextServer, startFixture } from './testing/next-fixture.js'

/** `Vary` tokens Next.js adds to every App Router response, before the handler's own. */
const nextVary = 'rsc, next-router-state-tree, next-router-prefetch, next-router-segment-prefetch'
const json = {
  ...securityHeaders,
  'content-type': 'application/json; charset=utf-8',
  vary: `${nextVary}, Origin`,
}
const problem = {
  ...securityHeaders,
  'content-type': 'application/problem+json',
  vary: `${nextVary}, Origin`,
}
const unstable = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding', 'content-length'])

interface Init {
  readonly method?: string
  readonly headers?: HeaderLines
  readonly body?: string
}

async function call(server: NextServer | undefined, target: string, init: Init = {}) {
  if (server === undefined) throw new Error('The server did not start')
  const res = await sendRequest(server.url, {
    ...init,
    target,
    headers: [['Host', 'api.example.com'], ...(init.headers ?? [])],
  })
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(res.headers)) if (!unstable.has(name)) headers[name] = value
  return { status: res.status, headers, body: res.body }
}

describe('on a real Next.js server', () => {
  describe('stating the peer (direct)', () => {
    let server: NextServer | undefined
    beforeAll(async () => {
      server = await startFixture({ SEC_CONFORMANCE_VARIANT: 'direct' })
    })
    afterAll(() => server?.close())

    it('takes the client from the stated peer, never from a forged X-Forwarded-For', async () => {
      expect(
        await call(server, '/v1/whoami', {
          headers: [
            ['X-Forwarded-For', '203.0.113.7'],
            ['X-Forwarded-Proto', 'https'],
          ],
        }),
      ).toEqual({
        status: 200,
        headers: json,
        body: '{"ip":"127.0.0.1","ipKey":"127.0.0.1","protocol":"http","host":"api.example.com"}',
      })
    })

    it('hands the handler a request that still carries the body the guards read', async () => {
      expect(
        await call(server, '/adapter-test/echo', {
          method: 'POST',
          headers: [['Content-Type', 'application/json']],
          body: '{"body":"b","title":"t"}',
        }),
      ).toEqual({
        status: 200,
        headers: json,
        body: '{"text":"{\\"body\\":\\"b\\",\\"title\\":\\"t\\"}","body":{"title":"t","body":"b"}}',
      })
    })

    it('answers a preflight to a path no route serves from the catch-all OPTIONS export', async () => {
      const res = await call(server, '/v1/nowhere', {
        method: 'OPTIONS',
        headers: [
          ['Origin', 'https://app.example.com'],
          ['Access-Control-Request-Method', 'POST'],
        ],
      })
      expect(res).toEqual({
        status: 204,
        headers: {
          ...securityHeaders,
          'access-control-allow-credentials': 'true',
          'access-control-allow-headers': 'Content-Type, Authorization',
          'access-control-allow-methods': 'GET, HEAD, POST',
          'access-control-allow-origin': 'https://app.example.com',
          'access-control-max-age': '600',
          vary: `${nextVary}, Origin, Access-Control-Request-Method, Access-Control-Request-Headers`,
        },
        body: '',
      })
    })

    it('answers a method a route does not serve with a 404 problem, and a thrown error with a bare 500', async () => {
      expect(await call(server, '/health', { method: 'PUT' })).toEqual({
        status: 404,
        headers: problem,
        body: '{"type":"about:blank","title":"Not Found","status":404}',
      })
      const boom = await call(server, '/v1/boom')
      expect({
        ...boom,
        body: boom.body.replace(/"correlationId":"[0-9a-f-]{36}"/, '"correlationId":"<id>"'),
      }).toEqual({
        status: 500,
        headers: problem,
        body: '{"correlationId":"<id>","type":"urn:sec:problem:internal-error","title":"Internal Server Error","status":500}',
      })
    })
  })

  describe('behind a trusted proxy on loopback (proxied)', () => {
    let server: NextServer | undefined
    beforeAll(async () => {
      server = await startFixture({ SEC_CONFORMANCE_VARIANT: 'proxied' })
    })
    afterAll(() => server?.close())

    it("serves a direct request as direct, though Next's server filled in forwarding headers for it", async () => {
      expect(await call(server, '/v1/whoami')).toEqual({
        status: 200,
        headers: json,
        body: '{"ip":"127.0.0.1","ipKey":"127.0.0.1","protocol":"http","host":"api.example.com"}',
      })
    })

    it('believes the forwarding headers the proxy sends', async () => {
      expect(
        await call(server, '/v1/whoami', {
          headers: [
            ['X-Forwarded-For', '198.51.100.66, 203.0.113.7'],
            ['X-Forwarded-Proto', 'https'],
          ],
        }),
      ).toEqual({
        status: 200,
        headers: { ...json, 'strict-transport-security': 'max-age=31536000; includeSubDomains' },
        body: '{"ip":"203.0.113.7","ipKey":"203.0.113.7","protocol":"https","host":"api.example.com"}',
      })
    })
  })
})
