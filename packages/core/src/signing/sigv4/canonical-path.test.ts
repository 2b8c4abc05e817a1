import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { canonicalPath } from './canonical-path.js'

const aws = { normalize: true, doubleEncode: true }
const s3 = { normalize: false, doubleEncode: false }

describe('canonicalPath', () => {
  it('removes dot and empty segments, keeping a trailing slash', () => {
    const cases: [string, string][] = [
      ['/', '/'],
      ['', '/'],
      ['/example/..', '/'],
      ['/example1/example2/../..', '/'],
      ['/./', '/'],
      ['//', '/'],
      ['/./example', '/example'],
      ['//example//', '/example/'],
      ['/a/b/../c/./d/', '/a/c/d/'],
      ['/../../a', '/a'],
      ['/.well-known/x', '/.well-known/x'],
      ['/a/.', '/a'],
      ['/a/b', '/a/b'],
      ['a/b', '/a/b'],
    ]
    for (const [path, expected] of cases) expect(canonicalPath(path, aws), path).toBe(expected)
  })

  it('escapes the sent path once more for every AWS service but S3', () => {
    expect(canonicalPath('/example space/', aws)).toBe('/example%20space/')
    expect(canonicalPath('/example%20space/', aws)).toBe('/example%2520space/')
    expect(canonicalPath('/ሴ', aws)).toBe('/%E1%88%B4')
    expect(canonicalPath('/%E1%88%B4', aws)).toBe('/%25E1%2588%25B4')
  })

  it('leaves the segments of an S3-style path alone but escapes each once, canonically', () => {
    expect(canonicalPath('//example//../photo.jpg', s3)).toBe('//example//../photo.jpg')
    expect(canonicalPath('/my%20key/a%2Fb', s3)).toBe('/my%20key/a%2Fb')
    expect(canonicalPath('/my key/%7Euser(1)', s3)).toBe('/my%20key/~user%281%29')
  })

  it("can escape once more without normalizing (the test suite's unnormalized cases)", () => {
    expect(canonicalPath('/example/..', { normalize: false, doubleEncode: true })).toBe('/example/..')
    expect(canonicalPath('/a b//c', { normalize: false, doubleEncode: true })).toBe('/a%20b//c')
  })

  it('always starts with / and holds only unreserved characters, / and %XX', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary' }),
        fc.boolean(),
        fc.boolean(),
        (tail, normalize, doubleEncode) => {
          const path = canonicalPath(`/${tail}`, { normalize, doubleEncode })
          expect(path).toMatch(/^\/(?:[A-Za-z0-9._~/-]|%[0-9A-F]{2})*$/)
          if (normalize) expect(path).not.toMatch(/\/\/|\/\.\.?(?:\/|$)/)
        },
      ),
    )
  })
})
