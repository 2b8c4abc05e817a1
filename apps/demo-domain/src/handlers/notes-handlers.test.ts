import type { Outcome } from '@sec/core'
import { describe, expect, it } from 'vitest'
import { createNoteStore } from '../store/index.js'
import { createNotesHandlers, NoteNotFoundError } from './notes-handlers.js'

function outcomeWithBody(body: unknown): Outcome {
  return { body } as unknown as Outcome
}

function outcomeWithId(id: string): Outcome {
  return {
    input: { body: undefined, query: undefined, params: { id }, headers: undefined },
  } as unknown as Outcome
}

describe('createNotesHandlers', () => {
  const clock = { now: () => 0 }

  it('answers health', () => {
    expect(createNotesHandlers(createNoteStore()).health()).toEqual({ status: 'ok' })
  })

  it('creates, gets and lists notes', () => {
    const handlers = createNotesHandlers(createNoteStore({ clock }))
    const note = handlers.createNote(outcomeWithBody({ title: 'T', body: 'B' }))
    expect(note).toEqual({
      id: note.id,
      title: 'T',
      body: 'B',
      tags: [],
      createdAt: '1970-01-01T00:00:00.000Z',
    })
    expect(handlers.getNote(outcomeWithId(note.id))).toBe(note)
    expect(handlers.listNotes()).toEqual({ notes: [note] })
  })

  it('searches note titles with the validated query', () => {
    const store = createNoteStore({ clock })
    const handlers = createNotesHandlers(store)
    const wombat = store.create({ title: 'Wombat', body: '' })
    store.create({ title: 'Quokka', body: '' })
    const outcome = {
      input: { body: undefined, query: { q: 'WOMB' }, params: undefined, headers: undefined },
    } as unknown as Outcome
    expect(handlers.searchNotes(outcome)).toEqual({ notes: [wombat] })
  })

  it('throws a 404 error that reveals nothing for an unknown id', () => {
    const handlers = createNotesHandlers(createNoteStore())
    let thrown: unknown
    try {
      handlers.getNote(outcomeWithId('n_AAAAAAAAAAAAAAAAAAAAAA'))
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(NoteNotFoundError)
    expect(thrown).toMatchObject({
      status: 404,
      statusCode: 404,
      code: 'NOTE_NOT_FOUND',
      message: 'Note not found',
    })
  })
})
