import type { Guard } from '@sec/core'
import { afterEach, describe, expect, it } from 'vitest'
import {
  call,
  gate,
  jsonResponse,
  problemResponse,
  type Setup,
  securityHeaders,
  serveApp,
  type TestServer,
} from './testing/serve-app.js'

const readBody = (limit: number): Guard => ({
  name: 'read-body',
  async check(ctx) {
    ctx.facts.raw = new TextDecoder().decode(await ctx.body(limit))
  },
})

let server: TestServer | undefined

afterEach(async () => {
  await server?.close()
  server = undefined
})

async function serve(setup: Setup): Promise<TestServer> {
  server = await serveApp({ plugin: { hook: 'preHandler' }, ...setup })
  return server
}

const routes: Setup['routes'] = (app) => {
  app.post('/echo', async (request) => ({ parsed: request.body, raw: request.security.facts.raw }))
  app.get('/empty', async (request) => ({ raw: request.security.facts.raw }))
}

describe('body handling in preHandler', () => {
  it('gives guards the bytes Fastify parsed', async () => {
    const { url } = await serve({ security: { guards: [gate, securityHeaders, readBody(1000)] }, routes })
    const res = await call(`${url}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"title":"a"}',
    })
    expect(res).toEqual(jsonResponse(200, '{"parsed":{"title":"a"},"raw":"{\\"title\\":\\"a\\"}"}'))
  })

  it('gives guards an empty body when none was sent', async () => {
    const { url } = await serve({ security: { guards: [gate, securityHeaders, readBody(1000)] }, routes })
    expect(await call(`${url}/empty`)).toEqual(jsonResponse(200, '{"raw":""}'))
  })

  it('refuses a body over the guard limit after Fastify parsed it', async () => {
    const { url } = await serve({ security: { guards: [gate, securityHeaders, readBody(5)] }, routes })
    const res = await call(`${url}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"title":"a"}',
    })
    expect(res).toEqual(
      problemResponse(
        413,
        '{"detail":"The body exceeds 5 bytes.","type":"urn:sec:problem:body-too-large","title":"Content Too Large","status":413}',
      ),
    )
  })

  it('runs the app guards for a body Fastify refused before the hook, reading the body it left', async () => {
    const { url } = await serve({ security: { guards: [gate, securityHeaders, readBody(1000)] }, routes })
    const res = await call(`${url}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml' },
      body: '<a/>',
    })
    expect(res).toEqual(
      problemResponse(415, '{"type":"about:blank","title":"Unsupported Media Type","status":415}'),
    )
  })

  it("refuses a body over Fastify's bodyLimit without keeping it", async () => {
    const { url } = await serve({
      server: { bodyLimit: 10 },
      security: { guards: [gate, securityHeaders, readBody(1000)] },
      routes,
    })
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(`"${'x'.repeat(50)}"`))
        controller.close()
      },
    })
    const res = await call(`${url}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      duplex: 'half',
    } as RequestInit)
    expect(res).toEqual(
      problemResponse(
        413,
        '{"detail":"The body exceeds 10 bytes.","type":"urn:sec:problem:body-too-large","title":"Content Too Large","status":413}',
        'close',
      ),
    )
  })
})
