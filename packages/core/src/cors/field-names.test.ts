import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseFieldNames } from './field-names.js'

describe('parseFieldNames', () => {
  it.each<[string, string[] | undefined]>([
    ['content-type,authorization', ['content-type', 'authorization']],
    ['Content-Type , \tX-Api-Key', ['content-type', 'x-api-key']],
    ['a,,b, ,', ['a', 'b']],
    ['', []],
    ['content-type;charset', undefined],
    ['"quoted"', undefined],
    ['two words', undefined],
    ['x-\u212Aey', undefined],
    ['a,\nb', undefined],
    ['\u00a0a', undefined],
  ])('parses %j', (value, names) => {
    expect(parseFieldNames(value)).toEqual(names)
  })

  it('never throws, and returns only lower-case tokens', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' })), (value) => {
        const names = parseFieldNames(value)
        if (names === undefined) return true
        return names.every((name) => /^[!#$%&'*+\-.^_`|~0-9a-z]+$/.test(name))
      }),
    )
  })

  it('reads back any list it could have been sent', () => {
    const name = fc.stringMatching(/^[A-Za-z0-9-]{1,20}$/)
    const whitespace = fc.constantFrom('', ' ', '\t', '  ')
    fc.assert(
      fc.property(
        fc.array(fc.tuple(whitespace, name, whitespace), { minLength: 1, maxLength: 8 }),
        (parts) => {
          const value = parts.map(([before, n, after]) => before + n + after).join(',')
          expect(parseFieldNames(value)).toEqual(parts.map(([, n]) => n.toLowerCase()))
        },
      ),
    )
  })
})
