import { describe, expect, it } from 'vitest'
import { bearerHeader, send, testDemo, tokenFor } from '../demo/notes-demo.fixture.js'

const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/

async function setUp() {
  const { demo, time } = testDemo()
  const alice = bearerHeader(await tokenFor(demo, 'alice'))
  const bob = bearerHeader(await tokenFor(demo, 'bob'))
  const create = async (headers: Record<string, string>, body: unknown) =>
    demo.handlers.createApiKey(
      await send(demo, '/v1/api-keys', {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify(body),
        guards: demo.routes.createApiKey,
      }),
    )
  const list = async (headers: Record<string, string>) =>
    demo.handlers.listApiKeys(await send(demo, '/v1/api-keys', { headers, guards: demo.routes.listApiKeys }))
  const onKey = (route: 'rotateApiKey' | 'deleteApiKey', headers: Record<string, string>, id: string) =>
    send(demo, `/v1/api-keys/${id}`, {
      method: route === 'rotateApiKey' ? 'POST' : 'DELETE',
      headers,
      guards: demo.routes[route],
      params: { id },
    })
  const rotate = async (headers: Record<string, string>, id: string) =>
    demo.handlers.rotateApiKey(await onKey('rotateApiKey', headers, id))
  const remove = async (headers: Record<string, string>, id: string) =>
    demo.handlers.deleteApiKey(await onKey('deleteApiKey', headers, id))
  const useKey = (key: string) =>
    send(demo, '/v1/notes', { headers: { 'x-api-key': key }, guards: demo.routes.listNotes })
  return { demo, time, alice, bob, create, list, rotate, remove, useKey }
}

describe('createApiKeyHandlers', () => {
  it('creates a key once, shows only its metadata afterwards, and lets it act as its owner', async () => {
    const { alice, create, list, useKey } = await setUp()
    const created = await create(alice, { scopes: ['notes:read'] })
    expect(created).toEqual({
      key: expect.stringMatching(/^sk_test_[0-9A-Za-z]{12}_[0-9A-Za-z]{28}$/),
      id: created.key.slice(8, 20),
      scopes: ['notes:read'],
      createdAt: '2026-01-01T00:00:00.000Z',
      expiresAt: '2026-04-01T00:00:00.000Z',
      lastUsedAt: null,
      replacedBy: null,
    })
    expect((await useKey(created.key)).principal).toMatchObject({ id: 'alice', kind: 'api-key' })
    await new Promise((resolve) => setImmediate(resolve))
    const { key: _key, ...metadata } = created
    expect(await list(alice)).toEqual({ keys: [{ ...metadata, lastUsedAt: '2026-01-01T00:00:00.000Z' }] })
    expect(JSON.stringify(await list(alice))).not.toContain(created.key.slice(21))
  })

  it('honours expiresIn, in seconds', async () => {
    const { alice, create } = await setUp()
    expect((await create(alice, { scopes: ['notes:write'], expiresIn: 3600 })).expiresAt).toBe(
      '2026-01-01T01:00:00.000Z',
    )
  })

  it('refuses a scope the access token lacks with a 403 naming it', async () => {
    const { demo, create } = await setUp()
    const readOnly = bearerHeader(await tokenFor(demo, 'alice', ['notes:read']))
    await expect(
      create(readOnly, { scopes: ['notes:read', 'notes:write', 'notes:write'] }),
    ).rejects.toMatchObject({
      status: 403,
      headers: { 'www-authenticate': 'Bearer realm="api", error="insufficient_scope", scope="notes:write"' },
      problem: {
        detail: 'An API key cannot grant a scope the access token that creates it lacks.',
        type: 'urn:sec:problem:insufficient-scope',
      },
    })
  })

  it('rotates a key: the new one works, the old one for a day more', async () => {
    const { demo, alice, create, rotate, list, useKey, time } = await setUp()
    const old = await create(alice, { scopes: ['notes:read'], expiresIn: 3600 * 24 * 30 })
    time.advance(60_000)
    const rotated = await rotate(alice, old.id)
    expect(rotated).toMatchObject({
      scopes: ['notes:read'],
      createdAt: '2026-01-01T00:01:00.000Z',
      expiresAt: '2026-01-31T00:01:00.000Z',
      replacedBy: null,
    })
    expect(rotated.id).not.toBe(old.id)
    expect((await list(alice)).keys).toEqual([
      expect.objectContaining({ id: old.id, expiresAt: '2026-01-02T00:01:00.000Z', replacedBy: rotated.id }),
      expect.objectContaining({ id: rotated.id }),
    ])
    expect((await useKey(old.key)).principal?.id).toBe('alice')
    expect((await useKey(rotated.key)).principal?.id).toBe('alice')
    await expect(rotate(alice, old.id)).rejects.toMatchObject({ status: 404 })
    time.advance(86_400_000)
    expect((await useKey(old.key)).response?.status).toBe(401)
    expect((await useKey(rotated.key)).principal?.id).toBe('alice')
    const later = bearerHeader(await tokenFor(demo, 'alice'))
    expect((await list(later)).keys.map((key) => key.id)).toEqual([rotated.id])
  })

  it('deletes a key: it stops working at once, and deleting it again is a 404', async () => {
    const { alice, create, remove, list, useKey } = await setUp()
    const created = await create(alice, { scopes: ['notes:read'] })
    expect(await remove(alice, created.id)).toBeUndefined()
    expect((await useKey(created.key)).response?.status).toBe(401)
    expect(await list(alice)).toEqual({ keys: [] })
    await expect(remove(alice, created.id)).rejects.toMatchObject({ status: 404 })
  })

  it("treats another user's key as unknown: 404 to rotate or delete, absent from the list", async () => {
    const { alice, bob, create, rotate, remove, list, useKey } = await setUp()
    const alices = await create(alice, { scopes: ['notes:read'] })
    const notFound = {
      status: 404,
      problem: { type: 'urn:sec:problem:not-found', title: 'Not Found', status: 404 },
    }
    await expect(rotate(bob, alices.id)).rejects.toMatchObject(notFound)
    await expect(remove(bob, alices.id)).rejects.toMatchObject(notFound)
    await expect(remove(bob, 'AAAAAAAAAAAA')).rejects.toMatchObject(notFound)
    expect(await list(bob)).toEqual({ keys: [] })
    expect((await useKey(alices.key)).principal?.id).toBe('alice')
    expect(iso.test((await list(alice)).keys[0]?.createdAt ?? '')).toBe(true)
  })
})
