import { afterEach, describe, expect, it } from 'vitest'
import { call, problemHeaders, requestId, serveApp, type TestServer } from './testing/serve-app.js'

let server: TestServer | undefined

afterEach(async () => {
  await server?.close()
  server = undefined
})

describe('frameworkErrors', () => {
  it('answers a URL Fastify cannot decode with a 400 problem carrying the guard headers', async () => {
    server = await serveApp({
      frameworkErrors: true,
      routes: (app) => app.get('/v1/notes/:id', async () => 'ok'),
    })
    expect(await call(`${server.url}/v1/notes/%zz`)).toEqual({
      status: 400,
      headers: { ...problemHeaders, 'content-length': '57' },
      body: '{"type":"about:blank","title":"Bad Request","status":400}',
      connection: 'keep-alive',
    })
    expect(server.events).toMatchObject([
      { type: 'request.completed', requestId, path: '/v1/notes/%zz', status: 400 },
    ])
  })

  it('lets a guard that ends the request answer instead', async () => {
    server = await serveApp({ frameworkErrors: true })
    expect(
      await call(`${server.url}/%zz`, { method: 'OPTIONS', headers: { origin: 'https://a.example' } }),
    ).toEqual({
      status: 204,
      headers: {
        'access-control-allow-origin': 'https://a.example',
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      },
      body: '',
      connection: 'keep-alive',
    })
  })
})
