import { describe, expect, it } from 'vitest'
import { BlockCache } from './block-cache.js'
import { FakeStore, ManualClock } from './fake-stores.js'
import {
  defaultLimiterName,
  type LimiterOptions,
  maxPeriod,
  resolveLimiterSettings,
} from './limiter-options.js'
import { slidingWindow } from './sliding-window.js'

const store = new FakeStore()
const window = (options: Partial<LimiterOptions> | Record<string, unknown>) =>
  slidingWindow({ limit: 10, window: '1m', store, ...options } as never)

describe('defaultLimiterName', () => {
  it.each([
    [{ algorithm: 'token-bucket', limit: 100, period: 10_000 }, 'tb-100-10000'],
    [{ algorithm: 'sliding-window', limit: 60, period: 60_000 }, 'sw-60-60000'],
    [{ algorithm: 'fixed-window', limit: 1_000_000_000, period: maxPeriod }, 'fw-1000000000-31536000000'],
    [{ algorithm: 'sliding-log', limit: 5, period: 900_000 }, 'sl-5-900000'],
    [{ algorithm: 'token-bucket', limit: 7, period: 2333.3333333333335 }, 'tb-7-2333.3333333333335'],
  ] as const)('names %j %s', (policy, name) => {
    expect(defaultLimiterName(policy)).toBe(name)
    expect(name).toMatch(/^[A-Za-z0-9_.-]{1,64}$/)
  })
})

describe('resolveLimiterSettings', () => {
  const policy = { algorithm: 'sliding-window', limit: 10, period: 60_000 } as const

  it('applies the defaults', () => {
    const settings = resolveLimiterSettings('slidingWindow', { store }, policy)
    expect(settings).toMatchObject({
      name: 'sw-10-60000',
      store,
      fail: 'closed',
      insurance: undefined,
      probeInterval: 1000,
      sinks: [],
    })
    expect(settings.blocks).toBeInstanceOf(BlockCache)
    expect(typeof settings.clock.now()).toBe('number')
  })

  it('turns the block cache off, takes a list of sinks and a probe interval', () => {
    const sink = () => {}
    const clock = new ManualClock()
    const settings = resolveLimiterSettings(
      'slidingWindow',
      { store, blockCache: false, events: [sink, sink], probeInterval: '250ms', clock, fail: 'open' },
      policy,
    )
    expect(settings).toMatchObject({
      blocks: undefined,
      sinks: [sink, sink],
      probeInterval: 250,
      clock,
      fail: 'open',
    })
  })

  it('wraps a single sink in a list', () => {
    const sink = () => {}
    expect(resolveLimiterSettings('slidingWindow', { store, events: sink }, policy).sinks).toEqual([sink])
  })
})

describe('common options', () => {
  it.each<[string, Record<string, unknown>, string]>([
    [
      'a name with a space',
      { name: 'my limiter' },
      "slidingWindow.name: Expected 1 to 64 characters from A-Z a-z 0-9 _ . - (it goes into headers and store keys), e.g. 'search'.",
    ],
    [
      'a name with a colon',
      { name: 'a:b' },
      "slidingWindow.name: Expected 1 to 64 characters from A-Z a-z 0-9 _ . - (it goes into headers and store keys), e.g. 'search'.",
    ],
    [
      'a name with a quote',
      { name: 'a"b' },
      "slidingWindow.name: Expected 1 to 64 characters from A-Z a-z 0-9 _ . - (it goes into headers and store keys), e.g. 'search'.",
    ],
    [
      'an empty name',
      { name: '' },
      "slidingWindow.name: Expected 1 to 64 characters from A-Z a-z 0-9 _ . - (it goes into headers and store keys), e.g. 'search'.",
    ],
    [
      'a name of 65 characters',
      { name: 'n'.repeat(65) },
      "slidingWindow.name: Expected 1 to 64 characters from A-Z a-z 0-9 _ . - (it goes into headers and store keys), e.g. 'search'.",
    ],
    ['a name that is not a string', { name: 5 }, 'slidingWindow.name: Expected a string.'],
    ['an unknown fail policy', { fail: 'closed-ish' }, "slidingWindow.fail: Expected 'open' or 'closed'."],
    [
      'a store without decide',
      { store: { kind: 'x', reset() {} } },
      'slidingWindow.store: Expected a rate limit store ({ kind, decide, reset }) such as memoryStore() or redisStore(redis).',
    ],
    [
      'an insurance that is not a limiter',
      { insurance: { limit() {} } },
      'slidingWindow.insurance: Expected a rate limiter, e.g. the same factory called without a store (it then uses memory).',
    ],
    ['block cache true', { blockCache: true }, 'slidingWindow.blockCache: Expected false or { maxKeys }.'],
    [
      'a block cache of 0 keys',
      { blockCache: { maxKeys: 0 } },
      'slidingWindow.blockCache.maxKeys: Expected a whole number of keys from 1 to 10000000.',
    ],
    [
      'an unknown block cache option',
      { blockCache: { size: 5 } },
      'slidingWindow.blockCache.size: is not a known option. Remove it or check its spelling against the documentation.',
    ],
    [
      'an event sink that is not a function',
      { events: 'log' },
      'slidingWindow.events: Expected an event sink (a function) or a list of them.',
    ],
    ['a clock without now', { clock: { time: 5 } }, 'slidingWindow.clock: Expected { now(): number }.'],
    [
      'a probe interval of 0',
      { probeInterval: 0 },
      "slidingWindow.probeInterval: must be at least 1 ms and at most '1h'; got 0 ms.",
    ],
    [
      'a probe interval over an hour',
      { probeInterval: '2h' },
      "slidingWindow.probeInterval: must be at least 1 ms and at most '1h'; got 7200000 ms.",
    ],
  ])('refuses %s', (_, options, message) => {
    expect(() => window(options)).toThrow(expect.objectContaining({ code: 'SEC_CONFIG', message }))
  })

  it('takes a valid set of options', () => {
    const insurance = slidingWindow({ limit: 10, window: '1m', store: new FakeStore() })
    const limiter = window({
      name: 'search',
      fail: 'open',
      insurance,
      blockCache: { maxKeys: 5 },
      events: [() => {}],
      clock: new ManualClock(),
      probeInterval: '5s',
    })
    expect(limiter.name).toBe('search')
  })
})
