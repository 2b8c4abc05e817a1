import { describe, expect, it } from 'vitest'
import { parseHeaderFlag } from './header-flag.js'

describe('parseHeaderFlag', () => {
  it('splits at the first colon and trims the value', () => {
    expect(parseHeaderFlag('Content-Type: application/json')).toEqual(['Content-Type', 'application/json'])
    expect(parseHeaderFlag('Host:example.amazonaws.com')).toEqual(['Host', 'example.amazonaws.com'])
    expect(parseHeaderFlag('X-Time:  12:30 \t')).toEqual(['X-Time', '12:30'])
    expect(parseHeaderFlag('X-Empty:')).toEqual(['X-Empty', ''])
  })

  it('refuses what is not a header field', () => {
    expect(() => parseHeaderFlag('no colon')).toThrow("--header must be 'Name: value'")
    expect(() => parseHeaderFlag(': value')).toThrow("--header must be 'Name: value'")
    expect(() => parseHeaderFlag('Bad Name: x')).toThrow(
      "--header has a name that is not an HTTP field name: 'Bad Name'",
    )
    expect(() => parseHeaderFlag('X-A: one\r\nX-B: two')).toThrow(
      '--header X-A has a control character in its value',
    )
  })
})
