import { describe, expect, it } from 'vitest'
import { createNoteStore } from './note-store.js'

const fixedClock = { now: () => Date.UTC(2025, 0, 2, 3, 4, 5, 6) }

function countingRandom() {
  let next = 0
  return (bytes: Uint8Array<ArrayBuffer>) => {
    bytes.fill(0)
    bytes[15] = next++
    return bytes
  }
}

describe('createNoteStore', () => {
  it('creates a frozen note with the injected clock and random source', () => {
    const store = createNoteStore({ clock: fixedClock, random: countingRandom() })
    const tags = ['a', 'b']
    const note = store.create({ title: 'T', body: 'B', tags }, 'alice')
    tags.push('c')
    expect(note).toEqual({
      id: 'n_AAAAAAAAAAAAAAAAAAAAAA',
      ownerId: 'alice',
      title: 'T',
      body: 'B',
      tags: ['a', 'b'],
      createdAt: '2025-01-02T03:04:05.006Z',
    })
    expect(Object.isFrozen(note)).toBe(true)
    expect(Object.isFrozen(note.tags)).toBe(true)
    expect(store.get(note.id)).toBe(note)
    expect(store.size).toBe(1)
  })

  it('gives a note without tags an empty list', () => {
    const store = createNoteStore()
    expect(store.create({ title: 'T', body: '' }, 'alice').tags).toEqual([])
  })

  it('makes ids of 16 random bytes, base64url, that differ every time', () => {
    const store = createNoteStore()
    const ids = new Set<string>()
    for (let i = 0; i < 1000; i++) {
      const { id } = store.create({ title: 't', body: '' }, 'alice')
      expect(id).toMatch(/^n_[A-Za-z0-9_-]{22}$/)
      ids.add(id)
    }
    expect(ids.size).toBe(1000)
  })

  it('encodes every byte value in the id', () => {
    const store = createNoteStore({ random: (bytes) => bytes.fill(0xff) })
    expect(store.create({ title: 't', body: '' }, 'alice').id).toBe('n______________________w')
  })

  it('refuses to overwrite a note when the random source repeats', () => {
    const store = createNoteStore({ random: (bytes) => bytes.fill(7) })
    const first = store.create({ title: 'first', body: '' }, 'alice')
    expect(() => store.create({ title: 'second', body: '' }, 'alice')).toThrow(
      'createNoteStore: the random source repeated a note id.',
    )
    expect(store.get(first.id)?.title).toBe('first')
    expect(store.size).toBe(1)
  })

  it('returns undefined for an unknown id', () => {
    expect(createNoteStore().get('n_AAAAAAAAAAAAAAAAAAAAAA')).toBeUndefined()
  })

  it('lists the newest notes first, at most listLimit', () => {
    const store = createNoteStore({ listLimit: 2, random: countingRandom() })
    expect(store.list('alice')).toEqual([])
    for (const title of ['one', 'two', 'three']) store.create({ title, body: '' }, 'alice')
    expect(store.list('alice').map((n) => n.title)).toEqual(['three', 'two'])
  })

  it('searches titles for a substring, ignoring case, newest first', () => {
    const store = createNoteStore({ random: countingRandom() })
    for (const title of ['Quokka facts', 'Wombats', 'A BIG quokka day', 'quokkas', 'Ünïcode QUOKKA'])
      store.create({ title, body: 'quokka' }, 'alice')
    expect(store.search('alice', 'QuOkKa').map((n) => n.title)).toEqual([
      'Ünïcode QUOKKA',
      'quokkas',
      'A BIG quokka day',
      'Quokka facts',
    ])
    expect(store.search('alice', 'big QUOKKA').map((n) => n.title)).toEqual(['A BIG quokka day'])
    expect(store.search('alice', 'ünï').map((n) => n.title)).toEqual(['Ünïcode QUOKKA'])
    expect(store.search('alice', 'facts day')).toEqual([])
  })

  it('matches titles only, not bodies or tags', () => {
    const store = createNoteStore()
    store.create({ title: 'Plain', body: 'needle', tags: ['needle'] }, 'alice')
    expect(store.search('alice', 'needle')).toEqual([])
  })

  it('returns at most searchLimit matches, the newest', () => {
    const store = createNoteStore({ searchLimit: 2, random: countingRandom() })
    for (const title of ['match 1', 'other', 'match 2', 'match 3']) store.create({ title, body: '' }, 'alice')
    expect(store.search('alice', 'match').map((n) => n.title)).toEqual(['match 3', 'match 2'])
  })

  it('returns 20 matches by default', () => {
    const store = createNoteStore()
    for (let i = 0; i < 25; i++) store.create({ title: `t${i}`, body: '' }, 'alice')
    expect(store.search('alice', 't').map((n) => n.title)).toEqual(
      Array.from({ length: 20 }, (_, i) => `t${24 - i}`),
    )
  })

  it('forgets the title of an evicted note', () => {
    const store = createNoteStore({ maxNotes: 1, random: countingRandom() })
    store.create({ title: 'gone', body: '' }, 'alice')
    store.create({ title: 'kept', body: '' }, 'alice')
    expect(store.search('alice', 'gone')).toEqual([])
    expect(store.search('alice', 'kept').map((n) => n.title)).toEqual(['kept'])
  })

  it('evicts the oldest note past maxNotes', () => {
    const store = createNoteStore({ maxNotes: 2, random: countingRandom() })
    const one = store.create({ title: 'one', body: '' }, 'alice')
    store.create({ title: 'two', body: '' }, 'alice')
    store.create({ title: 'three', body: '' }, 'alice')
    expect(store.size).toBe(2)
    expect(store.get(one.id)).toBeUndefined()
    expect(store.list('alice').map((n) => n.title)).toEqual(['three', 'two'])
  })

  it('keeps 10,000 notes by default', () => {
    const store = createNoteStore()
    for (let i = 0; i < 10_001; i++) store.create({ title: 't', body: '' }, `user${i % 20}`)
    expect(store.size).toBe(10_000)
    expect(store.list('user0')).toHaveLength(100)
  })

  it('lists and searches the notes of one owner only', () => {
    const store = createNoteStore({ random: countingRandom() })
    store.create({ title: 'alice plans', body: '' }, 'alice')
    store.create({ title: 'bob plans', body: '' }, 'bob')
    store.create({ title: 'alice again', body: '' }, 'alice')
    expect(store.list('alice').map((n) => n.title)).toEqual(['alice again', 'alice plans'])
    expect(store.list('bob').map((n) => n.title)).toEqual(['bob plans'])
    expect(store.list('carol')).toEqual([])
    expect(store.search('bob', 'plans').map((n) => n.title)).toEqual(['bob plans'])
    expect(store.search('alice', 'bob')).toEqual([])
  })

  it('deletes a note, whoever owns it, and forgets it everywhere', () => {
    const store = createNoteStore({ random: countingRandom() })
    const gone = store.create({ title: 'gone', body: '' }, 'bob')
    const kept = store.create({ title: 'kept', body: '' }, 'bob')
    expect(store.delete(gone.id)).toBe(true)
    expect(store.delete(gone.id)).toBe(false)
    expect(store.get(gone.id)).toBeUndefined()
    expect(store.list('bob')).toEqual([kept])
    expect(store.search('bob', 'gone')).toEqual([])
    expect(store.size).toBe(1)
    expect(store.delete(kept.id)).toBe(true)
    expect(store.list('bob')).toEqual([])
    expect(store.create({ title: 'again', body: '' }, 'bob').title).toBe('again')
  })

  it("evicts an owner's oldest note past maxNotesPerOwner, never another owner's", () => {
    const store = createNoteStore({ maxNotesPerOwner: 2, random: countingRandom() })
    const bobs = store.create({ title: 'bob', body: '' }, 'bob')
    for (const title of ['a1', 'a2', 'a3']) store.create({ title, body: '' }, 'alice')
    expect(store.list('alice').map((n) => n.title)).toEqual(['a3', 'a2'])
    expect(store.get(bobs.id)).toBe(bobs)
    expect(store.size).toBe(3)
  })

  it('keeps 1,000 notes per owner by default', () => {
    const store = createNoteStore({ listLimit: 2000 })
    for (let i = 0; i < 1001; i++) store.create({ title: `t${i}`, body: '' }, 'alice')
    expect(store.list('alice')).toHaveLength(1000)
    expect(store.list('alice').at(-1)?.title).toBe('t1')
  })

  it.each([0, -1, 1.5, Number.NaN])('refuses maxNotes %s', (maxNotes) => {
    expect(() => createNoteStore({ maxNotes })).toThrow(
      `createNoteStore: maxNotes must be a positive integer, got ${String(maxNotes)}.`,
    )
  })

  it('refuses a maxNotesPerOwner of 0', () => {
    expect(() => createNoteStore({ maxNotesPerOwner: 0 })).toThrow(
      'createNoteStore: maxNotesPerOwner must be a positive integer, got 0.',
    )
  })

  it('refuses a listLimit of 0', () => {
    expect(() => createNoteStore({ listLimit: 0 })).toThrow(
      'createNoteStore: listLimit must be a positive integer, got 0.',
    )
  })

  it('refuses a searchLimit of 0', () => {
    expect(() => createNoteStore({ searchLimit: 0 })).toThrow(
      'createNoteStore: searchLimit must be a positive integer, got 0.',
    )
  })
})
