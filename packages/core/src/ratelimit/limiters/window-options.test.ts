import { describe, expect, it } from 'vitest'
import type { RateLimiter } from '../rate-limiter.js'
import { FakeStore } from './fake-stores.js'
import { fixedWindow } from './fixed-window.js'
import { slidingLog } from './sliding-log.js'
import { slidingWindow } from './sliding-window.js'
import type { WindowOptions } from './window-options.js'

const store = new FakeStore()
type Factory = (options: WindowOptions) => RateLimiter

const factories: [string, Factory, string, string][] = [
  ['slidingWindow', slidingWindow, 'sliding-window', 'sw'],
  ['fixedWindow', fixedWindow, 'fixed-window', 'fw'],
  ['slidingLog', slidingLog, 'sliding-log', 'sl'],
]

describe.each(factories)('%s', (where, factory, algorithm, prefix) => {
  it.each<[Duration, number]>([
    [60_000, 60_000],
    ['1m', 60_000],
    ['1.5s', 1500],
    ['1y', 31_536_000_000],
    [1, 1],
  ])('takes the window %j as %s ms', (window, period) => {
    const limiter = factory({ limit: 100, window, store })
    expect(limiter.policy).toEqual({ algorithm, limit: 100, period })
    expect(limiter.name).toBe(`${prefix}-100-${period}`)
  })

  it.each<[string, unknown, string]>([
    ['no options', undefined, `${where}.limit: is required, e.g. limit: 100.`],
    ['no window', { limit: 10 }, `${where}.window: is required, e.g. window: '1m'.`],
    ['limit 0', { limit: 0, window: 1000 }, 'per window, e.g. limit: 100.'],
    ['a fractional limit', { limit: 1.5, window: 1000 }, 'per window, e.g. limit: 100.'],
    ['a NaN limit', { limit: Number.NaN, window: 1000 }, 'per window, e.g. limit: 100.'],
    ['a negative limit', { limit: -3, window: 1000 }, 'per window, e.g. limit: 100.'],
    [
      'window 0',
      { limit: 10, window: 0 },
      `${where}.window: must be at least 1 ms and at most '1y'; got 0 ms.`,
    ],
    [
      'a window over a year',
      { limit: 10, window: '53w' },
      `${where}.window: must be at least 1 ms and at most '1y'; got 32054400000 ms.`,
    ],
    [
      'an unknown option',
      { limit: 10, window: 1000, capacity: 5 },
      `${where}.capacity: is not a known option.`,
    ],
  ])('refuses %s', (_, options, message) => {
    expect(() => factory(options as WindowOptions)).toThrow(message)
  })
})

describe('window limits', () => {
  it.each<[string, Factory, number, string]>([
    [
      'slidingWindow',
      slidingWindow,
      1_000_000_000,
      'slidingWindow.limit: Expected a whole number of units from 1 to 1000000000 per window, e.g. limit: 100.',
    ],
    [
      'fixedWindow',
      fixedWindow,
      1_000_000_000,
      'fixedWindow.limit: Expected a whole number of units from 1 to 1000000000 per window, e.g. limit: 100.',
    ],
    [
      'slidingLog',
      slidingLog,
      1000,
      'slidingLog.limit: Expected a whole number of units from 1 to 1000 per window, e.g. limit: 100.',
    ],
  ])('%s takes a limit up to %s and no more', (_, factory, max, message) => {
    expect(factory({ limit: max, window: 1000, store }).policy.limit).toBe(max)
    expect(() => factory({ limit: max + 1, window: 1000, store })).toThrow(
      expect.objectContaining({ code: 'SEC_CONFIG', path: `${_}.limit`, message }),
    )
  })
})

type Duration = WindowOptions['window']
