import { fromWebRequest } from '@sec/core'
import { describe, expect, it } from 'vitest'
import { createDemoSecurity, demoOrigin } from './demo-security.js'

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
    expect(outcome.response?.headers.get('access-control-allow-headers')).toBe('Content-Type')
  })

  it('validates a note body on the createNote route', async () => {
    const { security, routes } = createDemoSecurity()
    const ok = await security.protect(
      request('/v1/notes', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"title":"t","body":"b","tags":["x"]}',
      }),
      { guards: routes.createNote },
    )
    expect(ok.response).toBeUndefined()
    expect(ok.body).toEqual({ title: 't', body: 'b', tags: ['x'] })

    const refused = await security.protect(
      request('/v1/notes', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"title":"t","body":"b","admin":true}',
      }),
      { guards: routes.createNote },
    )
    expect(refused.response?.status).toBe(400)
    expect(refused.problem?.type).toBe('urn:sec:problem:validation-failed')
  })

  it('validates the note id on the getNote route', async () => {
    const { security, routes } = createDemoSecurity()
    const ok = await security.protect(request('/v1/notes/n_AAAAAAAAAAAAAAAAAAAAAA'), {
      guards: routes.getNote,
      params: { id: 'n_AAAAAAAAAAAAAAAAAAAAAA' },
    })
    expect(ok.response).toBeUndefined()
    expect(ok.input.params).toEqual({ id: 'n_AAAAAAAAAAAAAAAAAAAAAA' })

    const refused = await security.protect(request('/v1/notes/1'), {
      guards: routes.getNote,
      params: { id: '1' },
    })
    expect(refused.response?.status).toBe(400)
  })

  it('uses the injected random source for request ids', async () => {
    const { security } = createDemoSecurity({ random: (bytes) => bytes.fill(7) })
    const outcome = await security.protect(request('/health'))
    expect(outcome.requestId).toBe('07070707-0707-4707-8707-070707070707')
  })
})
