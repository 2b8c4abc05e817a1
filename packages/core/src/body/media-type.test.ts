import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseMediaType } from './media-type.js'

describe('parseMediaType', () => {
  it.each([
    ['application/json', 'application/json', undefined],
    ['Application/JSON', 'application/json', undefined],
    ['application/json; charset=utf-8', 'application/json', 'utf-8'],
    ['application/json;charset=UTF-8', 'application/json', 'utf-8'],
    ['application/json ; charset="utf-8"', 'application/json', 'utf-8'],
    ['application/json; charset="utf\\-8"', 'application/json', 'utf-8'],
    ['application/json;', 'application/json', undefined],
    ['application/json; a=1; b="x;y"; charset=latin1', 'application/json', 'latin1'],
    ['text/plain;format=flowed', 'text/plain', undefined],
  ])('parses %j', (value, essence, charset) => {
    expect(parseMediaType(value)).toEqual({ essence, charset })
  })

  it.each([
    '',
    'json',
    'application/',
    '/json',
    'application/json, text/plain',
    'application/json; charset=utf-8; charset=utf-8',
    'application/json; charset',
    'application/json; charset="utf-8',
    'application/json x',
    'application json',
    'application/json; =x',
  ])('refuses %j', (value) => {
    expect(parseMediaType(value)).toBeUndefined()
  })

  it('never throws on any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (value) => {
        const media = parseMediaType(value)
        if (media !== undefined) expect(media.essence).toBe(media.essence.toLowerCase())
      }),
    )
  })
})
