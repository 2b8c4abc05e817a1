import { describe, expect, it } from 'vitest'
import { createNotesDemo } from './notes-demo.js'

describe('createNotesDemo', () => {
  it('wires the injected clock and random source into the store', () => {
    const { store, handlers } = createNotesDemo({ clock: { now: () => 0 }, random: (bytes) => bytes.fill(0) })
    expect(store.create({ title: 't', body: '' })).toEqual({
      id: 'n_AAAAAAAAAAAAAAAAAAAAAA',
      title: 't',
      body: '',
      tags: [],
      createdAt: '1970-01-01T00:00:00.000Z',
    })
    expect(handlers.listNotes().notes).toHaveLength(1)
  })

  it('bounds the store with maxNotes', () => {
    const { store } = createNotesDemo({ maxNotes: 1 })
    store.create({ title: 'one', body: '' })
    store.create({ title: 'two', body: '' })
    expect(store.list().map((n) => n.title)).toEqual(['two'])
  })

  it('gives every demo its own store', () => {
    const first = createNotesDemo()
    first.store.create({ title: 't', body: '' })
    expect(createNotesDemo().store.size).toBe(0)
  })
})
