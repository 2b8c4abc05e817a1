import { describe, expect, it } from 'vitest'
import { jsonPointer } from './json-pointer.js'

describe('jsonPointer', () => {
  it('escapes ~ and / as RFC 6901 says', () => {
    expect(jsonPointer([])).toBe('')
    expect(jsonPointer(['tags', 0])).toBe('/tags/0')
    expect(jsonPointer(['a/b', 'm~n', ''])).toBe('/a~1b/m~0n/')
    expect(jsonPointer(['~1'])).toBe('/~01')
  })

  it('stops after count segments', () => {
    expect(jsonPointer(['a', 'b', 'c'], 2)).toBe('/a/b')
  })
})
