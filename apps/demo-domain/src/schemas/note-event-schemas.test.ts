import * as v from 'valibot'
import { describe, expect, it } from 'vitest'
import { NoteEventSchema } from './note-event-schemas.js'

function issues(input: unknown): string[] {
  const result = v.safeParse(NoteEventSchema, input)
  return result.success ? [] : result.issues.map((i) => `${v.getDotPath(i) ?? ''}: ${i.type}`)
}

describe('NoteEventSchema', () => {
  it('accepts a note.created event, with or without a timestamp', () => {
    const event = {
      type: 'note.created',
      timestamp: '2026-01-01T00:00:00.000Z',
      data: { title: 'From a webhook', body: 'Hello', tags: ['inbox'] },
    }
    expect(v.parse(NoteEventSchema, event)).toEqual(event)
    expect(v.parse(NoteEventSchema, { type: 'note.created', data: { title: 't', body: '' } })).toEqual({
      type: 'note.created',
      data: { title: 't', body: '' },
    })
  })

  it.each([
    [{ type: 'note.deleted', data: { title: 't', body: '' } }, ['type: literal']],
    [{ data: { title: 't', body: '' } }, ['type: strict_object']],
    [{ type: 'note.created' }, ['data: strict_object']],
    [{ type: 'note.created', data: { title: '', body: '' } }, ['data.title: min_length']],
    [
      { type: 'note.created', data: { title: 't', body: '', ownerId: 'bob' } },
      ['data.ownerId: strict_object'],
    ],
    [{ type: 'note.created', data: { title: 't', body: '' }, id: 'x' }, ['id: strict_object']],
    [
      { type: 'note.created', timestamp: 'yesterday', data: { title: 't', body: '' } },
      ['timestamp: iso_timestamp'],
    ],
  ])('refuses %j', (input, expected) => {
    expect(issues(input)).toEqual(expected)
  })
})
