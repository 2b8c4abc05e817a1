import type { Guard } from '@sec/core'
import { describe, expect, it } from 'vitest'
import { call, jsonResponse, problemHeaders, type Setup, servePerTest } from './testing/serve-app.js'

/** Reads the raw body, as the body and validation guards do, and records it as text. */
const readBody = (limit: number): Guard => ({
  name: 'read-body',
  async check(ctx) {
    ctx.facts.raw = new TextDecoder().decode(await ctx.body(limit))
  },
})

const serve = servePerTest()

const echo: Setup['routes'] = (app) =>
  app.post('/echo', { config: { security: [readBody(1000)] } }, async (request) => ({
    parsed: request.body,
    raw: request.security.facts.raw,
  }))

describe('body handling in onRequest', () => {
  it("replays the bytes a guard read to Fastify's JSON parser", async () => {
    const { url } = await serve({ routes: echo })
    const res = await call(`${url}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"title":"a"}',
    })
    expect(res).toEqual(jsonResponse(200, '{"parsed":{"title":"a"},"raw":"{\\"title\\":\\"a\\"}"}'))
  })

  it('replays a chunked body to a text parser', async () => {
    const { url } = await serve({ routes: echo })
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('hello '))
        controller.enqueue(new TextEncoder().encode('world'))
        controller.close()
      },
    })
    const res = await call(`${url}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body,
      duplex: 'half',
    } as RequestInit)
    expect(res).toEqual(jsonResponse(200, '{"parsed":"hello world","raw":"hello world"}'))
  })

  it('refuses a body over the guard limit with a 413 problem and closes the connection', async () => {
    const { url } = await serve({ routes: echo })
    const res = await call(`${url}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `"${'x'.repeat(2000)}"`,
    })
    expect(res).toEqual({
      status: 413,
      headers: { ...problemHeaders, 'content-length': '122' },
      body: '{"detail":"The body exceeds 1000 bytes.","type":"urn:sec:problem:body-too-large","title":"Content Too Large","status":413}',
      connection: 'close',
    })
  })

  it('leaves the body to Fastify when no guard reads it', async () => {
    const { url } = await serve({ routes: (app) => app.post('/plain', async (request) => request.body) })
    const res = await call(`${url}/plain`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '[1,2]',
    })
    expect(res).toEqual(jsonResponse(200, '[1,2]'))
  })
})
