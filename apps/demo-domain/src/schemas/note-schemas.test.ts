import fc from 'fast-check'
import * as v from 'valibot'
import { describe, expect, it } from 'vitest'
import { NoteInputSchema, NoteParamsSchema } from './note-schemas.js'

function issues(schema: v.GenericSchema, input: unknown): string[] {
  const result = v.safeParse(schema, input)
  return result.success ? [] : result.issues.map((i) => `${v.getDotPath(i) ?? ''}: ${i.type}`)
}

describe('NoteInputSchema', () => {
  it('accepts a note at every limit', () => {
    const input = {
      title: 't'.repeat(200),
      body: 'b'.repeat(10_000),
      tags: Array.from({ length: 10 }, () => 'x'.repeat(32)),
    }
    expect(v.parse(NoteInputSchema, input)).toEqual(input)
    expect(v.parse(NoteInputSchema, { title: 't', body: '' })).toEqual({ title: 't', body: '' })
  })

  it.each([
    [{ title: 't', body: '', id: 'n_x' }, ['id: strict_object']],
    [{ title: '', body: '' }, ['title: min_length']],
    [{ title: 't'.repeat(201), body: '' }, ['title: max_length']],
    [{ title: 't' }, ['body: strict_object']],
    [{ title: 't', body: 'b'.repeat(10_001) }, ['body: max_length']],
    [{ title: 't', body: '', tags: Array.from({ length: 11 }, () => 'x') }, ['tags: max_length']],
    [{ title: 't', body: '', tags: ['x'.repeat(33)] }, ['tags.0: max_length']],
    [{ title: 't', body: '', tags: [''] }, ['tags.0: min_length']],
    [{ title: 't', body: '', tags: 'x' }, ['tags: array']],
    [{ title: 1, body: '' }, ['title: string']],
    [null, [': strict_object']],
    [[], ['title: strict_object', 'body: strict_object']],
  ])('refuses %j', (input, expected) => {
    expect(issues(NoteInputSchema, input)).toEqual(expected)
  })

  it('never accepts an object with a key it does not know', () => {
    fc.assert(
      fc.property(
        fc.string().filter((k) => !['title', 'body', 'tags', '__proto__'].includes(k)),
        fc.jsonValue(),
        (key, value) => !v.is(NoteInputSchema, { title: 't', body: '', [key]: value }),
      ),
    )
  })
})

describe('NoteParamsSchema', () => {
  it('accepts an id the store makes', () => {
    expect(v.parse(NoteParamsSchema, { id: 'n_AZaz09-_AAAAAAAAAAAAAA' })).toEqual({
      id: 'n_AZaz09-_AAAAAAAAAAAAAA',
    })
  })

  it.each([
    'n_AAAAAAAAAAAAAAAAAAAAA',
    'n_AAAAAAAAAAAAAAAAAAAAAAA',
    'm_AAAAAAAAAAAAAAAAAAAAAA',
    'n_AAAAAAAAAAAAAAAAAAAAA=',
    'n_AAAAAAAAAAAAAAAAAAAAA/',
    'n_AAAAAAAAAAAAAAAAAAAAAA\n',
    '1',
    '',
  ])('refuses %j', (id) => {
    expect(issues(NoteParamsSchema, { id })).toEqual(['id: regex'])
  })
})
