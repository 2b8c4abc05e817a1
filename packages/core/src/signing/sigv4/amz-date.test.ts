import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { formatAmzDate, parseAmzDate } from './amz-date.js'

describe('SigV4 request time', () => {
  it('formats and parses YYYYMMDDTHHMMSSZ', () => {
    const ms = Date.UTC(2015, 7, 30, 12, 36, 0)
    expect(formatAmzDate(ms)).toBe('20150830T123600Z')
    expect(formatAmzDate(ms + 999)).toBe('20150830T123600Z')
    expect(parseAmzDate('20150830T123600Z')).toBe(ms)
  })

  it('refuses anything but a real UTC date and time', () => {
    for (const bad of [
      '',
      '20150830T123600',
      '20150830t123600Z',
      '2015-08-30T12:36:00Z',
      '20150231T000000Z',
      '20151301T000000Z',
      '20150830T240000Z',
      '20150830T126000Z',
      '00990101T000000Z',
      ' 20150830T123600Z',
      '20150830T123600Z\n',
      '２０15',
    ])
      expect(parseAmzDate(bad), bad).toBeUndefined()
  })

  it('round-trips every second from 1970 to 9999', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 253_402_300_799 }), (seconds) => {
        expect(parseAmzDate(formatAmzDate(seconds * 1000))).toBe(seconds * 1000)
      }),
    )
  })
})
