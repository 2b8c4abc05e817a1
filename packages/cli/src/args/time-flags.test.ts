import { describe, expect, it } from 'vitest'
import { parseDurationFlag, parseTimeFlag } from './time-flags.js'

describe('parseDurationFlag', () => {
  it('reads a unit, and a bare number as seconds', () => {
    expect(parseDurationFlag('--tolerance', '300')).toBe(300_000)
    expect(parseDurationFlag('--tolerance', '500ms')).toBe(500)
    expect(parseDurationFlag('--tolerance', '30s')).toBe(30_000)
    expect(parseDurationFlag('--tolerance', '5m')).toBe(300_000)
    expect(parseDurationFlag('--tolerance', '1h')).toBe(3_600_000)
    expect(parseDurationFlag('--tolerance', '7d')).toBe(604_800_000)
  })

  it('refuses anything else', () => {
    for (const text of ['', '5 m', '-5', '1.5m', '5y', 'm', '1e3'])
      expect(() => parseDurationFlag('--tolerance', text)).toThrow(
        '--tolerance must be a duration such as 300, 30s, 5m or 1h (a bare number is seconds)',
      )
  })
})

describe('parseTimeFlag', () => {
  it('reads Unix seconds and ISO 8601', () => {
    expect(parseTimeFlag('--at', '1614265330')).toBe(1_614_265_330_000)
    expect(parseTimeFlag('--at', '2015-08-30T12:36:00Z')).toBe(Date.UTC(2015, 7, 30, 12, 36))
    expect(parseTimeFlag('--at', '2015-08-30T14:36:00+02:00')).toBe(Date.UTC(2015, 7, 30, 12, 36))
  })

  it('refuses anything else', () => {
    for (const text of ['', 'yesterday', '2015-08-30', '2015-13-45T00:00:00Z', '-1', '1.5'])
      expect(() => parseTimeFlag('--at', text)).toThrow(
        '--at must be Unix seconds or an ISO 8601 time such as 2015-08-30T12:36:00Z',
      )
  })
})
