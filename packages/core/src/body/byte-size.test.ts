import { describe, expect, it } from 'vitest'
import { parseByteSize } from './byte-size.js'

describe('parseByteSize', () => {
  it.each([
    [0, 0],
    [1024, 1024],
    ['512b', 512],
    ['64kb', 65_536],
    ['64KB', 65_536],
    ['1.5kb', 1536],
    ['1mb', 1_048_576],
  ])('reads %j as %i bytes', (value, bytes) => {
    expect(parseByteSize('body.limit', value)).toBe(bytes)
  })

  it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '64k', '1 mb', 'mb', '', '1gb', true])(
    'refuses %j naming the option',
    (value) => {
      expect(() => parseByteSize('body.limit', value)).toThrowError(
        expect.objectContaining({ code: 'SEC_CONFIG', path: 'body.limit' }),
      )
    },
  )
})
