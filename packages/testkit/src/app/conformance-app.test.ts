import { fromWebRequest, SecAuthzError } from '@sec/core'
import { describe, expect, it } from 'vitest'
import { boomSecret, createConformanceApp } from './conformance-app.js'
import { conformanceTokens } from './conformance-credentials.js'

function whoamiRequest(headers: Record<string, string>) {
  return fromWebRequest(
    new Request('http://api.example.com/v1/whoami', { headers: { host: 'api.example.com', ...headers } }),
    { remoteAddress: '127.0.0.1' },
  )
}

const forwarded = { 'x-forwarded-for': '203.0.113.7', 'x-forwarded-proto': 'https' }

describe('createConformanceApp', () => {
  it('direct: ignores the forwarding headers of the loopback client', async () => {
    const app = createConformanceApp('direct')
    const outcome = await app.security.protect(whoamiRequest(forwarded))
    expect(outcome.response).toBeUndefined()
    expect(app.handlers.whoami(outcome)).toEqual({
      ip: '127.0.0.1',
      ipKey: '127.0.0.1',
      protocol: 'http',
      host: 'api.example.com',
    })
  })

  it('proxied: trusts the loopback client as a proxy', async () => {
    const app = createConformanceApp('proxied')
    const outcome = await app.security.protect(whoamiRequest(forwarded))
    expect(outcome.response).toBeUndefined()
    expect(app.handlers.whoami(outcome)).toEqual({
      ip: '203.0.113.7',
      ipKey: '203.0.113.7',
      protocol: 'https',
      host: 'api.example.com',
    })
  })

  it('runs the app-wide guards in order and gives each route its guards', () => {
    const app = createConformanceApp('direct')
    expect(app.routes.createNote.map((guard) => guard.name)).toEqual(['body', 'validate'])
    expect(app.routes.getNote.map((guard) => guard.name)).toEqual(['validate'])
    expect(app.routes.readPrivate.map((guard) => guard.name)).toEqual(['bearer'])
    expect(app.routes.deleteNote.map((guard) => guard.name)).toEqual(['bearer', 'validate', 'authorize'])
    expect(app.routes.machine.map((guard) => guard.name)).toEqual(['api-key'])
  })

  it('builds a fresh pipeline per call', () => {
    expect(createConformanceApp('direct').security).not.toBe(createConformanceApp('direct').security)
  })

  it('has handlers that answer, or throw what frameworks turn into 404 and 500', async () => {
    const app = createConformanceApp('direct')
    const outcome = await app.security.protect(whoamiRequest({}))
    expect(app.handlers.health()).toEqual({ status: 'ok' })
    expect(app.handlers.getNote(outcome, 'n_known')).toEqual({ id: 'n_known' })
    expect(() => app.handlers.getNote(outcome, 'n_missing')).toThrow(
      expect.objectContaining({ status: 404, statusCode: 404 }),
    )
    expect(() => app.handlers.boom()).toThrow(boomSecret)
  })

  it('answers the principal, and refuses to answer without one', async () => {
    const app = createConformanceApp('direct')
    const outcome = await app.security.protect(whoamiRequest({}))
    expect(() => app.handlers.principal(outcome)).toThrow('No principal')
    const signedIn = await app.security.protect(
      whoamiRequest({ authorization: `Bearer ${conformanceTokens.alice}` }),
      { guards: app.routes.readPrivate },
    )
    expect(app.handlers.principal(signedIn)).toEqual({
      id: 'alice',
      kind: 'user',
      scopes: ['notes:read', 'notes:write'],
    })
  })

  it('checks the notes policy again when deleting, as a service layer would', async () => {
    const app = createConformanceApp('direct')
    const asAlice = await app.security.protect(
      whoamiRequest({ authorization: `Bearer ${conformanceTokens.alice}` }),
      { guards: app.routes.readPrivate },
    )
    expect(app.handlers.deleteNote(asAlice, 'n_alice')).toBeUndefined()
    expect(() => app.handlers.deleteNote(asAlice, 'n_bob')).toThrow(SecAuthzError)
    expect(() => app.handlers.deleteNote(asAlice, 'n_missing')).toThrow(
      expect.objectContaining({ status: 404, statusCode: 404 }),
    )
  })
})
