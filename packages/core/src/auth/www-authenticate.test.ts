import { describe, expect, it } from 'vitest'
import { formatBearerChallenge, isValidRealm, isValidScope } from './www-authenticate.js'

describe('formatBearerChallenge', () => {
  it('sends only the realm when the request carried no token', () => {
    expect(formatBearerChallenge('api')).toBe('Bearer realm="api"')
  })

  it('adds the error code', () => {
    expect(formatBearerChallenge('api', { error: 'invalid_token' })).toBe(
      'Bearer realm="api", error="invalid_token"',
    )
    expect(formatBearerChallenge('api', { error: 'invalid_request' })).toBe(
      'Bearer realm="api", error="invalid_request"',
    )
  })

  it('lists the required scopes, space-separated, with insufficient_scope', () => {
    expect(
      formatBearerChallenge('notes api', {
        error: 'insufficient_scope',
        scopes: ['notes:read', 'notes:write'],
      }),
    ).toBe('Bearer realm="notes api", error="insufficient_scope", scope="notes:read notes:write"')
  })

  it('omits an empty scope list', () => {
    expect(formatBearerChallenge('api', { error: 'insufficient_scope', scopes: [] })).toBe(
      'Bearer realm="api", error="insufficient_scope"',
    )
  })
})

describe('realm and scope syntax', () => {
  it('accepts printable ASCII realms and refuses quotes, backslashes and control characters', () => {
    expect(isValidRealm('api.example.com')).toBe(true)
    expect(isValidRealm('my api')).toBe(true)
    expect(isValidRealm('a"b')).toBe(false)
    expect(isValidRealm('a\\b')).toBe(false)
    expect(isValidRealm('a\r\nb')).toBe(false)
    expect(isValidRealm('é')).toBe(false)
  })

  it('accepts RFC 6749 scope tokens only', () => {
    expect(isValidScope('notes:read')).toBe(true)
    expect(isValidScope('https://api.example.com/notes.read')).toBe(true)
    expect(isValidScope('')).toBe(false)
    expect(isValidScope('a b')).toBe(false)
    expect(isValidScope('a"b')).toBe(false)
    expect(isValidScope('a\\b')).toBe(false)
  })
})
