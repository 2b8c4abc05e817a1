import { describe, expect, it } from 'vitest'
import { checkOriginPattern, createOriginCheck, normalizeOrigin } from './allowed-origins.js'

describe('normalizeOrigin', () => {
  it.each([
    ['https://app.example.com', 'https://app.example.com'],
    ['HTTPS://APP.Example.com:443', 'https://app.example.com'],
    ['http://localhost:80', 'http://localhost'],
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080'],
    ['http://[::1]:3000', 'http://[::1]:3000'],
    ['https://bücher.example', 'https://xn--bcher-kva.example'],
    ['capacitor://localhost', 'capacitor://localhost'],
    ['Chrome-Extension://AbcDef', 'chrome-extension://abcdef'],
    ['null', 'null'],
  ])('writes %s as browsers send it: %s', (value, origin) => {
    expect(normalizeOrigin(value, 'o')).toBe(origin)
  })

  it.each([
    [
      'https://app.example.com/',
      "o: an origin has no path, query or trailing slash: write 'https://app.example.com'",
    ],
    ['https://app.example.com?x=1', 'o: an origin has no path'],
    ['https://app.example.com#top', 'o: an origin has no path'],
    ['//app.example.com', 'o: must be an origin'],
    ['https://', 'o: is not a valid origin'],
    ['https://a b.example.com', 'o: is not a valid origin'],
  ])('refuses %j', (value, message) => {
    expect(() => normalizeOrigin(value, 'o')).toThrowError(
      expect.objectContaining({ message: expect.stringContaining(message) }),
    )
  })
})

describe('checkOriginPattern', () => {
  it.each([
    /^https:\/\/[a-z0-9-]+\.example\.com$/,
    /^https:\/\/(?:a|b)\.example\.com$/,
    /^https:\/\/app\.example\.com(?::\d+)?$/i,
    /^https:\/\/[.a-z]+\.example\.com$/,
    /^http:\/\/localhost:\d{4}$/,
    /^https:\/\/app\.example\.com\\$/,
  ])('accepts %s', (pattern) => {
    expect(() => checkOriginPattern(pattern, 'o')).not.toThrow()
  })

  it.each([
    [/^https:\/\/app\.example\.com$/y, 'remove the y flag'],
    [/^https:\/\/app\.example\.com$/m, 'remove the m flag'],
    [
      /^(?:https:\/\/a\.example\.com)|(?:https:\/\/b\.example\.com)$/,
      'anchors only its first and last alternative',
    ],
    [/^https:\/\/.+$/, 'matches any origin (it accepts https://sec-cors-canary.invalid)'],
    [/^http:\/\/[^/]+$/, 'matches any origin (it accepts http://sec-cors-canary.invalid)'],
  ])('refuses %s', (pattern, message) => {
    expect(() => checkOriginPattern(pattern, 'o')).toThrowError(
      expect.objectContaining({ message: expect.stringContaining(message) }),
    )
  })
})

describe('createOriginCheck', () => {
  it('looks exact origins up and tries patterns on serialized origins only', () => {
    const allowed = createOriginCheck(new Set(['https://app.example.com']), [
      /^https:\/\/[a-z]+\.example\.org$/,
    ])
    expect(allowed('https://app.example.com')).toBe(true)
    expect(allowed('https://www.example.org')).toBe(true)
    expect(allowed('https://www.example.org.')).toBe(false)
    expect(allowed('https://app.example.com/')).toBe(false)
    expect(allowed('https://app.example.com, https://www.example.org')).toBe(false)
    expect(allowed('null')).toBe(false)
  })
})
