import { body, validate } from '@sec/core'
import { describe, expect, it } from 'vitest'
import { call, jsonResponse, problemResponse, servePerTest } from './testing/serve-app.js'

const serve = servePerTest()

const postJson = (text: string, type = 'application/json'): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': type },
  body: text,
})

const badRequest = '{"type":"about:blank","title":"Bad Request","status":400}'

/** A Standard Schema that upper-cases the title, as a schema with a transform does. */
const Shouted = {
  '~standard': {
    version: 1,
    vendor: 'test',
    validate: (value: unknown) => ({
      value: { title: String((value as { title: unknown }).title).toUpperCase() },
    }),
  },
} as const

describe('the JSON parser of the plugin', () => {
  it('gives Fastify the value the body guard parsed, without parsing the body again', async () => {
    const { url } = await serve({
      routes: (app) =>
        app.post('/notes', { config: { security: [body()] } }, async (request) => ({
          same: request.body === request.security.body,
          body: request.body,
        })),
    })
    const res = await call(`${url}/notes`, postJson('\uFEFF{"title":"a","tags":["x"]}'))
    expect(res).toEqual(jsonResponse(200, '{"same":true,"body":{"title":"a","tags":["x"]}}'))
  })

  it('keeps request.body the JSON as received when a schema transforms the validated body', async () => {
    const { url } = await serve({
      routes: (app) =>
        app.post('/notes', { config: { security: [validate({ body: Shouted })] } }, async (request) => ({
          raw: request.body,
          validated: request.security.body,
        })),
    })
    const res = await call(`${url}/notes`, postJson('{"title":"a"}'))
    expect(res).toEqual(jsonResponse(200, '{"raw":{"title":"a"},"validated":{"title":"A"}}'))
  })

  it('parses as Fastify does when no guard read the body', async () => {
    const { url } = await serve({
      routes: (app) => app.post('/plain', async (request) => ({ body: request.body })),
    })
    expect(await call(`${url}/plain`, postJson('{"a":[1,{"b":null}]}'))).toEqual(
      jsonResponse(200, '{"body":{"a":[1,{"b":null}]}}'),
    )
    expect(await call(`${url}/plain`, postJson('\uFEFF"text"', 'application/json; charset=utf-8'))).toEqual(
      jsonResponse(200, '{"body":"text"}'),
    )
    for (const text of ['{"a":', '', '{"__proto__":{"admin":true}}', '{"constructor":{"prototype":{}}}'])
      expect(await call(`${url}/plain`, postJson(text))).toEqual(problemResponse(400, badRequest, 'close'))
  })

  it("follows the app's onProtoPoisoning and bodyLimit when no guard read the body", async () => {
    const { url } = await serve({
      server: { onProtoPoisoning: 'remove', bodyLimit: 100 },
      routes: (app) => app.post('/plain', async (request) => ({ body: request.body })),
    })
    expect(await call(`${url}/plain`, postJson('{"__proto__":{"admin":true},"a":1}'))).toEqual(
      jsonResponse(200, '{"body":{"a":1}}'),
    )
    expect(await call(`${url}/plain`, postJson(`"${'x'.repeat(200)}"`))).toEqual(
      problemResponse(413, '{"type":"about:blank","title":"Content Too Large","status":413}', 'close'),
    )
  })

  it("keeps the route's bodyLimit for a body the guard parsed under its own, larger limit", async () => {
    const { url } = await serve({
      routes: (app) =>
        app.post(
          '/notes',
          { bodyLimit: 20, config: { security: [body({ limit: 1000 })] } },
          async (request) => ({
            body: request.body,
          }),
        ),
    })
    expect(await call(`${url}/notes`, postJson('{"title":"short"}'))).toEqual(
      jsonResponse(200, '{"body":{"title":"short"}}'),
    )
    expect(await call(`${url}/notes`, postJson('{"title":"a little longer"}'))).toEqual(
      problemResponse(413, '{"type":"about:blank","title":"Content Too Large","status":413}', 'close'),
    )
  })

  it('answers an empty JSON body a guard let through as Fastify does', async () => {
    const { url } = await serve({
      routes: (app) => app.post('/notes', { config: { security: [body()] } }, async () => 'created'),
    })
    expect(await call(`${url}/notes`, postJson(''))).toEqual(problemResponse(400, badRequest, 'close'))
  })

  it('replays the bytes to the parser of another JSON type that a guard parsed', async () => {
    const { url } = await serve({
      routes: (app) => {
        app.addContentTypeParser(
          'application/merge-patch+json',
          { parseAs: 'string' },
          (_request, text, done) => done(null, { text }),
        )
        app.post(
          '/notes',
          { config: { security: [body({ types: ['application/merge-patch+json'] })] } },
          async (request) => ({ parsed: request.body, validated: request.security.body }),
        )
      },
    })
    const res = await call(`${url}/notes`, postJson('{"title":null}', 'application/merge-patch+json'))
    expect(res).toEqual(
      jsonResponse(200, '{"parsed":{"text":"{\\"title\\":null}"},"validated":{"title":null}}'),
    )
  })

  it('leaves a JSON parser the app registered before the plugin in place, and replays the bytes to it', async () => {
    const { url } = await serve({
      routes: (app) =>
        app.post('/notes', { config: { security: [body()] } }, async (request) => ({ parsed: request.body })),
      beforePlugin: (app) =>
        app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, text, done) =>
          done(null, { own: text }),
        ),
    })
    const res = await call(`${url}/notes`, postJson('{"a":1}'))
    expect(res).toEqual(jsonResponse(200, '{"parsed":{"own":"{\\"a\\":1}"}}'))
  })
})
