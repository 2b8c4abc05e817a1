import { fromWebRequest } from '@sec/core'
import { describe, expect, it } from 'vitest'
import { createNotesDemo, type NotesDemoOptions } from '../demo/index.js'
import { tokenFor } from '../demo/notes-demo.fixture.js'
import { demoOrigin } from './demo-security.js'

function createDemoSecurity(options: NotesDemoOptions = {}) {
  return createNotesDemo({ passwordCost: 1024, ...options })
}

function request(path: string, init: RequestInit = {}, remoteAddress = '127.0.0.1') {
  const headers = new Headers(init.headers)
  headers.set('host', 'localhost:3001')
  return fromWebRequest(new Request(`http://localhost:3001${path}`, { ...init, headers }), { remoteAddress })
}

describe('createDemoSecurity', () => {
  it('serves a direct plain-HTTP request from this machine, with the API security headers', async () => {
    const { security } = createDemoSecurity()
    const outcome = await security.protect(request('/health'))
    expect(outcome.response).toBeUndefined()
    expect(outcome.verdict).toBe('allow')
    expect(outcome.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'")
    expect(outcome.headers.get('strict-transport-security')).toBeNull()
  })

  it('redirects a GET the loopback proxy forwarded over plain HTTP', async () => {
    const { security } = createDemoSecurity()
    const outcome = await security.protect(
      request('/v1/notes?x=1', {
        headers: { 'x-forwarded-proto': 'http', 'x-forwarded-for': '203.0.113.9' },
      }),
    )
    expect(outcome.response?.status).toBe(308)
    expect(outcome.response?.headers.get('location')).toBe('https://localhost/v1/notes?x=1')
    expect(outcome.client.ip).toBe('203.0.113.9')
  })

  it('does not trust forwarding headers from a peer that is not on loopback', async () => {
    const { security } = createDemoSecurity()
    const outcome = await security.protect(
      request(
        '/health',
        { headers: { 'x-forwarded-proto': 'https', 'x-forwarded-for': '198.51.100.1' } },
        '203.0.113.9',
      ),
    )
    expect(outcome.client.ip).toBe('203.0.113.9')
    expect(outcome.response?.status).toBe(308)
  })

  it(`answers a preflight from ${demoOrigin} without allowing credentials`, async () => {
    const { security } = createDemoSecurity()
    const outcome = await security.protect(
      request('/v1/notes', {
        method: 'OPTIONS',
        headers: { origin: demoOrigin, 'access-control-request-method': 'POST' },
      }),
    )
    expect(outcome.response?.status).toBe(204)
    expect(outcome.response?.headers.get('access-control-allow-origin')).toBe(demoOrigin)
    expect(outcome.response?.headers.get('access-control-allow-credentials')).toBeNull()
    expect(outcome.response?.headers.get('access-control-allow-headers')).toBe('Content-Type, Authorization')
    expect(outcome.response?.headers.get('access-control-allow-methods')).toBe('GET, HEAD, POST, DELETE')
  })

  it('authenticates, then validates a note body on the createNote route', async () => {
    const demo = createDemoSecurity()
    const { security, routes } = demo
    const authorization = `Bearer ${await tokenFor(demo, 'alice')}`
    const ok = await security.protect(
      request('/v1/notes', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization },
        body: '{"title":"t","body":"b","tags":["x"]}',
      }),
      { guards: routes.createNote },
    )
    expect(ok.response).toBeUndefined()
    expect(ok.body).toEqual({ title: 't', body: 'b', tags: ['x'] })

    const refused = await security.protect(
      request('/v1/notes', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization },
        body: '{"title":"t","body":"b","admin":true}',
      }),
      { guards: routes.createNote },
    )
    expect(refused.response?.status).toBe(400)
    expect(refused.problem?.type).toBe('urn:sec:problem:validation-failed')

    const anonymous = await security.protect(
      request('/v1/notes', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"title":"t","body":"b","admin":true}',
      }),
      { guards: routes.createNote },
    )
    expect(anonymous.response?.status).toBe(401)
    expect(anonymous.body).toBeUndefined()
  })

  it('validates the note id on the getNote route, then loads the note for the policy', async () => {
    const demo = createDemoSecurity()
    const { security, routes } = demo
    const headers = { authorization: `Bearer ${await tokenFor(demo, 'alice')}` }
    const note = demo.store.create({ title: 't', body: '' }, 'alice')
    const ok = await security.protect(request(`/v1/notes/${note.id}`, { headers }), {
      guards: routes.getNote,
      params: { id: note.id },
    })
    expect(ok.response).toBeUndefined()
    expect(ok.input.params).toEqual({ id: note.id })
    expect(ok.facts.resource).toBe(note)

    const malformed = await security.protect(request('/v1/notes/1', { headers }), {
      guards: routes.getNote,
      params: { id: '1' },
    })
    expect(malformed.response?.status).toBe(400)

    const unknown = await security.protect(request('/v1/notes/n_AAAAAAAAAAAAAAAAAAAAAA', { headers }), {
      guards: routes.getNote,
      params: { id: 'n_AAAAAAAAAAAAAAAAAAAAAA' },
    })
    expect([unknown.response?.status, unknown.response?.body]).toEqual([
      404,
      '{"type":"urn:sec:problem:not-found","title":"Not Found","status":404}',
    ])
  })

  it('lets the JWKS be cached for 5 minutes, and nothing else', async () => {
    const { security, routes } = createDemoSecurity()
    const jwks = await security.protect(request('/.well-known/jwks.json'), { guards: routes.jwks })
    expect(jwks.headers.get('cache-control')).toBe('public, max-age=300')
    const health = await security.protect(request('/health'))
    expect(health.headers.get('cache-control')).toBe('no-store')
  })

  it.each([
    'listNotes',
    'createNote',
    'getNote',
    'deleteNote',
    'search',
    'logout',
    'createApiKey',
    'listApiKeys',
    'rotateApiKey',
    'deleteApiKey',
  ] as const)('refuses an anonymous caller on the %s route with a 401 Bearer challenge', async (route) => {
    const { security, routes } = createDemoSecurity()
    const outcome = await security.protect(request('/v1/x', { method: 'POST' }), {
      guards: routes[route],
      params: { id: 'n_AAAAAAAAAAAAAAAAAAAAAA' },
    })
    expect(outcome.response?.status).toBe(401)
    expect(outcome.response?.headers.get('www-authenticate')).toBe('Bearer realm="api"')
  })

  it('uses the injected random source for request ids', async () => {
    const { security } = createDemoSecurity({ random: (bytes) => bytes.fill(7) })
    const outcome = await security.protect(request('/health'))
    expect(outcome.requestId).toBe('07070707-0707-4707-8707-070707070707')
  })
})
