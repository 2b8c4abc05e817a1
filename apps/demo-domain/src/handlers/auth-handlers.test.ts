import { describe, expect, it } from 'vitest'
import { bearerHeader, loginBody, send, testDemo } from '../demo/notes-demo.fixture.js'
import type { DemoEvent } from '../identity/index.js'

const invalidRefresh = {
  status: 401,
  expose: true,
  problem: {
    detail: 'The refresh token is not valid.',
    type: 'urn:sec:problem:unauthorized',
    title: 'Unauthorized',
    status: 401,
  },
}

async function setUp() {
  const events: DemoEvent[] = []
  const { demo, time } = testDemo({ events: (event) => events.push(event) })
  const signIn = async () =>
    demo.handlers.issueToken(
      await send(demo, '/v1/auth/token', {
        ...loginBody('alice', 'alice-wonderland'),
        guards: demo.routes.token,
      }),
    )
  const refresh = async (token: string) =>
    demo.handlers.refreshToken(
      await send(demo, '/v1/auth/refresh', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ refresh_token: token }),
        guards: demo.routes.refresh,
      }),
    )
  const notes = (token: string) =>
    send(demo, '/v1/notes', { headers: bearerHeader(token), guards: demo.routes.listNotes })
  return { demo, time, events, signIn, refresh, notes }
}

describe('createAuthHandlers', () => {
  it('issues an OAuth token response for the signed-in user', async () => {
    const { signIn, notes } = await setUp()
    const body = await signIn()
    expect(body).toEqual({
      access_token: expect.stringMatching(/^eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+$/),
      token_type: 'Bearer',
      expires_in: 900,
      refresh_token: expect.stringMatching(/^[\w-]{43}$/),
      scope: 'notes:read notes:write',
    })
    expect((await notes(body.access_token)).principal?.id).toBe('alice')
  })

  it('rotates the refresh token, and a reuse ends the session with a 401 and an event', async () => {
    const { signIn, refresh, notes, events } = await setUp()
    const first = await signIn()
    const second = await refresh(first.refresh_token)
    expect(second.refresh_token).not.toBe(first.refresh_token)
    expect((await notes(second.access_token)).principal?.id).toBe('alice')

    await expect(refresh(first.refresh_token)).rejects.toMatchObject(invalidRefresh)
    expect((await notes(second.access_token)).response?.status).toBe(401)
    await expect(refresh(second.refresh_token)).rejects.toMatchObject(invalidRefresh)
    expect(events.filter((event) => event.type === 'auth.refresh-reused')).toEqual([
      {
        type: 'auth.refresh-reused',
        time: Date.UTC(2026, 0, 1),
        requestId: expect.any(String),
        method: 'POST',
        path: '/v1/auth/refresh',
        clientIp: '198.51.100.1',
      },
    ])
  })

  it('answers an unknown or malformed refresh token with the same 401', async () => {
    const { refresh } = await setUp()
    await expect(refresh('A'.repeat(43))).rejects.toMatchObject(invalidRefresh)
    await expect(refresh('not a token')).rejects.toMatchObject(invalidRefresh)
  })

  it('signs the session out: its access and refresh tokens stop working', async () => {
    const { demo, signIn, refresh, notes } = await setUp()
    const tokens = await signIn()
    const other = await signIn()
    const outcome = await send(demo, '/v1/auth/logout', {
      method: 'POST',
      headers: bearerHeader(tokens.access_token),
      guards: demo.routes.logout,
    })
    expect(await demo.handlers.signOut(outcome)).toBeUndefined()
    expect((await notes(tokens.access_token)).response?.status).toBe(401)
    await expect(refresh(tokens.refresh_token)).rejects.toMatchObject(invalidRefresh)
    expect((await notes(other.access_token)).principal?.id).toBe('alice')
  })

  it('publishes the public key only', async () => {
    const { demo } = await setUp()
    const jwks = await demo.handlers.jwks()
    expect(jwks.keys).toHaveLength(1)
    expect(Object.keys(jwks.keys[0] ?? {}).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y'])
  })
})
