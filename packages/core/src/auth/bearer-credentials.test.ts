import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { readBearerCredentials } from './bearer-credentials.js'

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
})
