import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { readBearerCandidate, readBearerCredentials } from './bearer-credentials.js'

describe('readBearerCredentials', () => {
  it('reads the token, with the scheme in any case and one or more spaces', () => {
    expect(readBearerCredentials('Bearer abc.DEF-_~+/=')).toEqual({ kind: 'token', token: 'abc.DEF-_~+/=' })
    expect(readBearerCredentials('bearer abc')).toEqual({ kind: 'token', token: 'abc' })
    expect(readBearerCredentials('BEARER   abc')).toEqual({ kind: 'token', token: 'abc' })
  })

  it('treats no header and other schemes as missing credentials', () => {
    expect(readBearerCredentials(null)).toEqual({ kind: 'missing' })
    expect(readBearerCredentials('Basic dXNlcjpwYXNz')).toEqual({ kind: 'missing' })
    expect(readBearerCredentials('Bearerabc')).toEqual({ kind: 'missing' })
    expect(readBearerCredentials('DPoP abc')).toEqual({ kind: 'missing' })
  })

  it('calls a broken Bearer credential malformed', () => {
    for (const value of [
      'Bearer',
      'Bearer ',
      'Bearer a b',
      'Bearer a, Bearer b',
      'Bearer\tabc',
      'Bearer a=b',
      'Bearer "abc"',
      'Bearer =abc',
      '',
      ', Bearer abc',
    ])
      expect(readBearerCredentials(value), value).toEqual({ kind: 'malformed' })
  })

  it('never throws, and only returns tokens made of token68 characters', () => {
    fc.assert(
      fc.property(fc.string(), (value) => {
        const result = readBearerCredentials(value)
        if (result.kind === 'token') expect(result.token).toMatch(/^[A-Za-z0-9\-._~+/]+=*$/)
      }),
    )
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9\-._~+/]+=*$/), (token) => {
        expect(readBearerCredentials(`Bearer ${token}`)).toEqual({ kind: 'token', token })
      }),
    )
  })

  it('reads a candidate exactly as the grammar says, whatever the spacing and case', () => {
    // The grammar written plainly: a scheme name, one or more spaces, the rest.
    const model = (value: string) => {
      const trimmed = value.trim()
      const name = /^[A-Za-z0-9!#$%&'*+\-.^_`|~]+/.exec(trimmed)?.[0]
      if (name === undefined) return { kind: 'malformed' }
      if (name.toLowerCase() !== 'bearer') return { kind: 'missing' }
      const token = trimmed.slice(6).replace(/^ +/, '')
      return token.length === trimmed.length - 6 ? { kind: 'malformed' } : { kind: 'token', token }
    }
    const spelling = fc.constantFrom('Bearer', 'bearer', 'BEARER', 'Basic', 'Bearer,', '')
    const spaces = fc.stringMatching(/^[ \t]{0,3}$/)
    fc.assert(
      fc.property(spaces, spelling, spaces, fc.string(), spaces, (before, scheme, gap, rest, after) => {
        const value = `${before}${scheme}${gap}${rest}${after}`
        expect(readBearerCandidate(value)).toEqual(model(value))
      }),
    )
  })
})
