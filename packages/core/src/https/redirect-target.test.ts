import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { redirectTarget } from './redirect-target.js'

describe('redirectTarget', () => {
  it.each([
    ['/', '/'],
    ['/v1/notes?q=a&b=%20', '/v1/notes?q=a&b=%20'],
    ['//evil.example/x', '//evil.example/x'],
    ['/a b', '/a%20b'],
    ['/\u00e9', '/%C3%A9'],
    ['/\ud800', '/%EF%BF%BD'],
    ['/\t\r\n', '/%09%0D%0A'],
  ])('keeps %j as %j', (target, expected) => {
    expect(redirectTarget(target)).toBe(expected)
  })

  it.each(['', '*', 'http://evil.example/', 'a/b', ' /x'])('refuses %j', (target) => {
    expect(redirectTarget(target)).toBeUndefined()
  })

  it('always gives a value Headers accepts, that stays under the host it follows', () => {
    fc.assert(
      fc.property(
        fc.string().map((rest) => `/${rest}`),
        (target) => {
          const out = redirectTarget(target) as string
          expect(out).toMatch(/^\/[\x21-\x7e]*$/)
          expect(new Headers({ location: `https://api.example.com${out}` }).get('location')).toBe(
            `https://api.example.com${out}`,
          )
          expect(new URL(`https://api.example.com${out}`).host).toBe('api.example.com')
        },
      ),
    )
  })
})
