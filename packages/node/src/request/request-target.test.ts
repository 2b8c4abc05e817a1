import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { originForm } from './request-target.js'

describe('originForm', () => {
  it.each([
    ['/v1/notes?q=a', '/v1/notes?q=a'],
    ['/', '/'],
    ['*', '*'],
    ['http://api.test/v1/notes?q=a', '/v1/notes?q=a'],
    ['HTTPS://api.test:8443/a//b', '/a//b'],
    ['http://api.test', '/'],
    ['http://api.test?q=1', '/?q=1'],
    ['http://user:pw@api.test/x', '/x'],
    ['api.test:443', 'api.test:443'],
    ['', '/'],
    [undefined, '/'],
  ])('%j -> %j', (input, expected) => {
    expect(originForm(input)).toBe(expected)
  })

  it('leaves origin-form targets untouched and turns absolute-form ones into a path', () => {
    fc.assert(
      fc.property(fc.webPath(), fc.webQueryParameters(), (path, query) => {
        const target = `/${path.replace(/^\/+/, '')}${query === '' ? '' : `?${query}`}`
        expect(originForm(target)).toBe(target)
        expect(originForm(`http://api.test${target}`)).toBe(target)
      }),
    )
    fc.assert(
      fc.property(fc.webUrl({ withQueryParameters: true, withFragments: true }), (url) => {
        expect(originForm(url).startsWith('/')).toBe(true)
      }),
    )
  })
})
