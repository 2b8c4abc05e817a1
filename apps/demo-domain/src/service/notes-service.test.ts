import { type Principal, SecAuthzError } from '@sec/core'
import { describe, expect, it } from 'vitest'
import { createNotesPolicy } from '../authz/index.js'
import { createUserDirectory } from '../identity/index.js'
import { createNoteStore } from '../store/index.js'
import { NoteNotFoundError } from './note-not-found.js'
import { createNotesService } from './notes-service.js'

const all = ['notes:read', 'notes:write']
const alice: Principal = { id: 'alice', kind: 'user', scopes: all }
const bob: Principal = { id: 'bob', kind: 'user', scopes: all }
const admin: Principal = { id: 'admin', kind: 'user', scopes: all }
const aliceReadOnly: Principal = { id: 'alice', kind: 'api-key', scopes: ['notes:read'] }

function setUp() {
  const store = createNoteStore()
  const notes = createNotesService(store, createNotesPolicy(createUserDirectory({ passwordCost: 1024 })))
  const mine = notes.create(alice, { title: 'mine', body: '' })
  const bobs = notes.create(bob, { title: 'bobs', body: '' })
  return { store, notes, mine, bobs }
}

function thrown(call: () => unknown): unknown {
  try {
    call()
  } catch (error) {
    return error
  }
  return undefined
}

// No route guard runs here: these are the checks the service makes on its own.
describe('the notes service', () => {
  it("gives each caller their own notes, and another's only as a 404", () => {
    const { notes, mine, bobs } = setUp()
    expect(mine.ownerId).toBe('alice')
    expect(notes.list(alice)).toEqual([mine])
    expect(notes.search(alice, 'b')).toEqual([])
    expect(notes.search(bob, 'b')).toEqual([bobs])
    expect(notes.get(alice, mine.id)).toBe(mine)
    const hidden = thrown(() => notes.get(alice, bobs.id))
    expect(hidden).toBeInstanceOf(NoteNotFoundError)
    expect(hidden).toMatchObject({
      status: 404,
      expose: true,
      problem: { type: 'urn:sec:problem:not-found' },
    })
    expect(thrown(() => notes.get(alice, 'n_AAAAAAAAAAAAAAAAAAAAAA'))).toEqual(hidden)
  })

  it("deletes one's own note, and lets an admin delete anyone's", () => {
    const { notes, store, mine, bobs } = setUp()
    expect(thrown(() => notes.delete(alice, bobs.id))).toBeInstanceOf(NoteNotFoundError)
    expect(store.get(bobs.id)).toBe(bobs)
    notes.delete(alice, mine.id)
    expect(store.get(mine.id)).toBeUndefined()
    notes.delete(admin, bobs.id)
    expect(store.size).toBe(0)
    expect(thrown(() => notes.delete(admin, bobs.id))).toBeInstanceOf(NoteNotFoundError)
  })

  it('refuses with a 403 what the caller may see but not do, and anything without a caller', () => {
    const { notes, store, mine } = setUp()
    const denied = thrown(() => notes.delete(aliceReadOnly, mine.id))
    expect(denied).toBeInstanceOf(SecAuthzError)
    expect(denied).toMatchObject({ action: 'notes:delete', problem: { status: 403 } })
    expect(store.get(mine.id)).toBe(mine)
    expect(thrown(() => notes.create(aliceReadOnly, { title: 't', body: '' }))).toBeInstanceOf(SecAuthzError)
    expect(thrown(() => notes.list(undefined))).toBeInstanceOf(SecAuthzError)
    expect(thrown(() => notes.create(undefined, { title: 't', body: '' }))).toBeInstanceOf(SecAuthzError)
    expect(store.size).toBe(2)
  })
})
