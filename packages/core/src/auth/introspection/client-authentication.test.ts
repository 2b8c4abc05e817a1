import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { basicAuthorization, formUrlEncode } from './client-authentication.js'

describe('formUrlEncode', () => {
  it('encodes the RFC 6749 Appendix B example', () => {
    expect(formUrlEncode(' %&+\u00a3\u20ac')).toBe('+%25%26%2B%C2%A3%E2%82%AC')
  })

  it('keeps ASCII alphanumerics and *-._, and escapes the other characters', () => {
    expect(formUrlEncode('notes-api.v2_x*')).toBe('notes-api.v2_x*')
    expect(formUrlEncode(":/?#[]@!$'()~,;=")).toBe('%3A%2F%3F%23%5B%5D%40%21%24%27%28%29%7E%2C%3B%3D')
  })

  it('round-trips through a form decoder', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (value) => {
        expect(new URLSearchParams(`v=${formUrlEncode(value)}`).get('v')).toBe(value)
      }),
    )
  })
})

describe('basicAuthorization', () => {
  it('is HTTP Basic over the form-encoded id and secret', () => {
    expect(basicAuthorization('notes-api', 'secret')).toBe('Basic bm90ZXMtYXBpOnNlY3JldA==')
  })

  it("keeps a ':' in the id from splitting it, and encodes non-ASCII as UTF-8", () => {
    const header = basicAuthorization('client:1', 'sécret:€ x')
    expect(header).toBe('Basic Y2xpZW50JTNBMTpzJUMzJUE5Y3JldCUzQSVFMiU4MiVBQyt4')
    expect(atob(header.slice('Basic '.length))).toBe('client%3A1:s%C3%A9cret%3A%E2%82%AC+x')
  })
})
