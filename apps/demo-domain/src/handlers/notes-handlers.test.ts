import { describe, expect, it } from 'vitest'
import { bearerHeader, send, testDemo, tokenFor } from '../demo/notes-demo.fixture.js'

async function setUp() {
  const { demo } = testDemo()
  const alice = bearerHeader(await tokenFor(demo, 'alice'))
  const bob = bearerHeader(await tokenFor(demo, 'bob'))
  const create = async (headers: Record<string, string>, title: string) =>
    demo.handlers.createNote(
      await send(demo, '/v1/notes', {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ title, body: 'B' }),
        guards: demo.routes.createNote,
      }),
    )
  return { demo, alice, bob, create }
}

describe('createNotesHandlers', () => {
  it('answers health', async () => {
    const { demo } = await setUp()
    expect(demo.handlers.health()).toEqual({ status: 'ok' })
  })

  it("creates, gets, lists and searches the caller's own notes", async () => {
    const { demo, alice, bob, create } = await setUp()
    const note = await create(alice, 'Wombat')
    await create(bob, 'Wombat too')
    expect(note).toEqual({
      id: expect.stringMatching(/^n_[A-Za-z0-9_-]{22}$/),
      ownerId: 'alice',
      title: 'Wombat',
      body: 'B',
      tags: [],
      createdAt: '2026-01-01T00:00:00.000Z',
    })
    const got = await send(demo, `/v1/notes/${note.id}`, {
      headers: alice,
      guards: demo.routes.getNote,
      params: { id: note.id },
    })
    expect(got.facts.resource).toBe(note)
    expect(demo.handlers.getNote(got)).toBe(note)
    const list = await send(demo, '/v1/notes', { headers: alice, guards: demo.routes.listNotes })
    expect(demo.handlers.listNotes(list)).toEqual({ notes: [note] })
    const search = await send(demo, '/v1/search?q=WOMB', { headers: alice, guards: demo.routes.search })
    expect(demo.handlers.searchNotes(search)).toEqual({ notes: [note] })
  })

  it('deletes a note', async () => {
    const { demo, alice, create } = await setUp()
    const note = await create(alice, 'Gone')
    const outcome = await send(demo, `/v1/notes/${note.id}`, {
      method: 'DELETE',
      headers: alice,
      guards: demo.routes.deleteNote,
      params: { id: note.id },
    })
    expect(demo.handlers.deleteNote(outcome)).toBeUndefined()
    expect(demo.store.get(note.id)).toBeUndefined()
    expect(() => demo.handlers.deleteNote(outcome)).toThrow('Note not found')
  })
})
