import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { RawHeadersView } from './raw-headers.js'

const raw = ['Host', 'a.test', 'X-Forwarded-For', '1.1.1.1', 'host', 'b.test', 'Accept', '*/*']

describe('RawHeadersView', () => {
  it('keeps every line of a duplicated header, in order, whatever the case of the name', () => {
    const headers = new RawHeadersView(raw)
    expect(headers.getAll('host')).toEqual(['a.test', 'b.test'])
    expect(headers.getAll('HOST')).toEqual(['a.test', 'b.test'])
    expect(headers.get('Host')).toBe('a.test, b.test')
  })

  it('answers single and missing headers', () => {
    const headers = new RawHeadersView(raw)
    expect(headers.get('x-forwarded-for')).toBe('1.1.1.1')
    expect(headers.get('authorization')).toBeNull()
    expect(headers.getAll('authorization')).toEqual([])
    expect(headers.has('ACCEPT')).toBe(true)
    expect(headers.has('accept-encoding')).toBe(false)
  })

  it('does not match a name that differs only beyond ASCII case folding', () => {
    const headers = new RawHeadersView(['X-A', '1', 'x\u0130a', '2', 'X[A', '3'])
    expect(headers.getAll('x-a')).toEqual(['1'])
    expect(headers.has('x{a')).toBe(false)
  })

  it('agrees with a lower-casing reference on any header list', () => {
    const token = fc.stringMatching(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,12}$/)
    fc.assert(
      fc.property(
        fc.array(fc.tuple(token, fc.string({ maxLength: 20 })), { maxLength: 12 }),
        token,
        (lines, name) => {
          const headers = new RawHeadersView(lines.flat())
          const expected = lines.filter(([n]) => n.toLowerCase() === name.toLowerCase()).map(([, v]) => v)
          expect(headers.getAll(name)).toEqual(expected)
          expect(headers.get(name)).toBe(expected.length === 0 ? null : expected.join(', '))
          expect(headers.has(name)).toBe(expected.length > 0)
        },
      ),
    )
  })
})
