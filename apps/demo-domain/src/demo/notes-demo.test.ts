import { describe, expect, it } from 'vitest'
import { bearerHeader, send, testDemo, tokenFor } from './notes-demo.fixture.js'
import { createNotesDemo } from './notes-demo.js'

describe('createNotesDemo', () => {
  it('wires the injected clock and random source into the store', () => {
    const { store, notes } = createNotesDemo({
      clock: { now: () => 0 },
      random: (bytes) => bytes.fill(0),
      passwordCost: 1024,
    })
    expect(store.create({ title: 't', body: '' }, 'alice')).toEqual({
      id: 'n_AAAAAAAAAAAAAAAAAAAAAA',
      ownerId: 'alice',
      title: 't',
      body: '',
      tags: [],
      createdAt: '1970-01-01T00:00:00.000Z',
    })
    expect(notes.list({ id: 'alice', kind: 'user', scopes: ['notes:read'] })).toHaveLength(1)
  })

  it('bounds the store with maxNotes', () => {
    const { store } = createNotesDemo({ maxNotes: 1, passwordCost: 1024 })
    store.create({ title: 'one', body: '' }, 'alice')
    store.create({ title: 'two', body: '' }, 'alice')
    expect(store.list('alice').map((n) => n.title)).toEqual(['two'])
  })

  it('gives every demo its own store, users, keys and signing key', async () => {
    const first = testDemo().demo
    const second = testDemo().demo
    first.store.create({ title: 't', body: '' }, 'alice')
    expect(second.store.size).toBe(0)
    const token = await tokenFor(first, 'alice')
    const elsewhere = await send(second, '/v1/notes', {
      headers: bearerHeader(token),
      guards: second.routes.listNotes,
    })
    expect(elsewhere.response?.status).toBe(401)
    expect((await first.identity.issuer.jwks()).keys[0]?.kid).not.toBe(
      (await second.identity.issuer.jwks()).keys[0]?.kid,
    )
  })

  it('shares the policy between the routes and the service', () => {
    const { demo } = testDemo()
    expect(
      demo.policy.authorize({ id: 'admin', kind: 'user', scopes: ['notes:write'] }, 'notes:create').allowed,
    ).toBe(true)
  })
})
