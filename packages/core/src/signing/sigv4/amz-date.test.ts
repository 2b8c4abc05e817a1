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

  it('agrees with a regular-expression parser on any string near the format', () => {
    const reference = (value: string): number | undefined => {
      const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value)
      if (m === null) return undefined
      const [year, month, day, hour, minute, second] = m.slice(1).map(Number) as number[] as [
        number,
        number,
        number,
        number,
        number,
        number,
      ]
      if (year < 1970 || hour > 23 || minute > 59 || second > 59) return undefined
      const ms = Date.UTC(year, month - 1, day, hour, minute, second)
      const date = new Date(ms)
      return date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? ms : undefined
    }
    const digit = fc.constantFrom(...'0123456789')
    const near = fc
      .array(fc.oneof(digit, fc.constantFrom('T', 'Z', ' ', 'a', '٣', '/')), { minLength: 14, maxLength: 17 })
      .map((chars) => chars.join(''))
    const shaped = fc
      .tuple(fc.array(digit, { minLength: 8, maxLength: 8 }), fc.array(digit, { minLength: 6, maxLength: 6 }))
      .map(([day, time]) => `${day.join('')}T${time.join('')}Z`)
    fc.assert(
      fc.property(fc.oneof(near, shaped, fc.string()), (value) => {
        expect(parseAmzDate(value)).toBe(reference(value))
      }),
      { numRuns: 2000 },
    )
  })
})
