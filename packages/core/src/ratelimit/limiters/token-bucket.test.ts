import { describe, expect, it } from 'vitest'
import { FakeStore } from './fake-stores.js'
import { type TokenBucketOptions, tokenBucket } from './token-bucket.js'

const store = new FakeStore()

describe('tokenBucket', () => {
  it.each<[Partial<TokenBucketOptions>, number, string]>([
    [{ capacity: 100, refillRate: 10, interval: 1000 }, 10_000, 'tb-100-10000'],
    [{ capacity: 100, refillRate: 10, interval: '1s' }, 10_000, 'tb-100-10000'],
    [{ capacity: 100, refillRate: 20, interval: '2s' }, 10_000, 'tb-100-10000'],
    [{ capacity: 60, refillRate: 1, interval: '1s' }, 60_000, 'tb-60-60000'],
    [{ capacity: 10, refillRate: 3, interval: 1000 }, 3333.3333333333335, 'tb-10-3333.3333333333335'],
    [{ capacity: 5, refillRate: 0.5, interval: '1m' }, 600_000, 'tb-5-600000'],
    [{ capacity: 1, refillRate: 1, interval: 1 }, 1, 'tb-1-1'],
  ])('normalizes %j into a period of %s ms named %s', (options, period, name) => {
    const limiter = tokenBucket({ ...(options as TokenBucketOptions), store })
    expect(limiter.policy).toEqual({ algorithm: 'token-bucket', limit: options.capacity, period })
    expect(limiter.name).toBe(name)
    expect(Object.isFrozen(limiter.policy)).toBe(true)
  })

  it('derives the same name in every instance configured alike', () => {
    const a = tokenBucket({ capacity: 100, refillRate: 10, interval: '1s', store })
    const b = tokenBucket({ capacity: 100, refillRate: 10, interval: 1000, store: new FakeStore() })
    expect(a.name).toBe(b.name)
  })

  it('takes a name of its own', () => {
    expect(
      tokenBucket({ capacity: 10, refillRate: 1, interval: '1s', store, name: 'search.v1_burst-2' }).name,
    ).toBe('search.v1_burst-2')
  })

  const base = { capacity: 100, refillRate: 10, interval: 1000, store }
  it.each<[string, unknown, string]>([
    ['no options', undefined, 'tokenBucket.capacity: is required, e.g. capacity: 100.'],
    [
      'capacity 0',
      { ...base, capacity: 0 },
      'tokenBucket.capacity: Expected a whole number of units from 1 to 1000000000 (the largest burst), e.g. capacity: 100.',
    ],
    [
      'a negative capacity',
      { ...base, capacity: -5 },
      'tokenBucket.capacity: Expected a whole number of units from 1 to 1000000000 (the largest burst), e.g. capacity: 100.',
    ],
    [
      'a NaN capacity',
      { ...base, capacity: Number.NaN },
      'tokenBucket.capacity: Expected a whole number of units from 1 to 1000000000 (the largest burst), e.g. capacity: 100.',
    ],
    [
      'an infinite capacity',
      { ...base, capacity: Number.POSITIVE_INFINITY },
      'tokenBucket.capacity: Expected a whole number of units from 1 to 1000000000 (the largest burst), e.g. capacity: 100.',
    ],
    [
      'a fractional capacity',
      { ...base, capacity: 2.5 },
      'tokenBucket.capacity: Expected a whole number of units from 1 to 1000000000 (the largest burst), e.g. capacity: 100.',
    ],
    [
      'a huge capacity',
      { ...base, capacity: 1e10 },
      'tokenBucket.capacity: Expected a whole number of units from 1 to 1000000000 (the largest burst), e.g. capacity: 100.',
    ],
    [
      'a string capacity',
      { ...base, capacity: '100' },
      'tokenBucket.capacity: Expected a whole number of units from 1 to 1000000000 (the largest burst), e.g. capacity: 100.',
    ],
    [
      'no refillRate',
      { capacity: 100, interval: 1000 },
      'tokenBucket.refillRate: is required, e.g. refillRate: 10.',
    ],
    [
      'refillRate 0',
      { ...base, refillRate: 0 },
      'tokenBucket.refillRate: Expected a finite number of units greater than 0, e.g. refillRate: 10.',
    ],
    [
      'a negative refillRate',
      { ...base, refillRate: -1 },
      'tokenBucket.refillRate: Expected a finite number of units greater than 0, e.g. refillRate: 10.',
    ],
    [
      'an infinite refillRate',
      { ...base, refillRate: Number.POSITIVE_INFINITY },
      'tokenBucket.refillRate: Expected a finite number of units greater than 0, e.g. refillRate: 10.',
    ],
    [
      'a NaN refillRate',
      { ...base, refillRate: Number.NaN },
      'tokenBucket.refillRate: Expected a finite number of units greater than 0, e.g. refillRate: 10.',
    ],
    [
      'no interval',
      { capacity: 100, refillRate: 10 },
      "tokenBucket.interval: is required, e.g. interval: '1s'.",
    ],
    [
      'an interval of another type',
      { ...base, interval: true },
      "tokenBucket.interval: Expected milliseconds as a number or a duration such as '1s', '1m', '1h'.",
    ],
    ['options that are not an object', 5, 'tokenBucket: Invalid type: Expected Object but received 5.'],
    [
      'interval 0',
      { ...base, interval: 0 },
      "tokenBucket.interval: must be at least 1 ms and at most '1y'; got 0 ms.",
    ],
    [
      'an interval under 1 ms',
      { ...base, interval: 0.4 },
      "tokenBucket.interval: must be at least 1 ms and at most '1y'; got 0 ms.",
    ],
    [
      'an interval over a year',
      { ...base, interval: '2y' },
      "tokenBucket.interval: must be at least 1 ms and at most '1y'; got 63072000000 ms.",
    ],
    [
      'a negative interval',
      { ...base, interval: -1000 },
      'tokenBucket.interval: must be a finite, non-negative number of milliseconds; got -1000.',
    ],
    [
      'a spaced interval',
      { ...base, interval: '1 s' },
      "tokenBucket.interval: must be milliseconds as a number or a string like '500ms', '30s', '10m', '1h', '1d', '1w', '1y'; got \"1 s\".",
    ],
    [
      'a refill faster than 10 units per ms',
      { ...base, capacity: 1_000_000, refillRate: 1_000_000, interval: '1s' },
      'tokenBucket.refillRate: refills 1000000 units every 1000 ms, more than 10 units per ms. Count in larger units (kilobytes rather than bytes) or lower the rate.',
    ],
    [
      'an empty bucket refilled in under 1 ms',
      { ...base, capacity: 1, refillRate: 5, interval: 1 },
      'tokenBucket.refillRate: an empty bucket would refill in 0.2 ms (capacity × interval / refillRate); it must take from 1 ms to one year. Adjust capacity, refillRate or interval.',
    ],
    [
      'a bucket that takes more than a year to refill',
      { ...base, capacity: 1000, refillRate: 1, interval: '1d' },
      'tokenBucket.refillRate: an empty bucket would refill in 86400000000 ms (capacity × interval / refillRate); it must take from 1 ms to one year. Adjust capacity, refillRate or interval.',
    ],
    [
      'an unknown option',
      { ...base, limit: 5 },
      'tokenBucket.limit: is not a known option. Remove it or check its spelling against the documentation.',
    ],
  ])('refuses %s', (_, options, message) => {
    expect(() => tokenBucket(options as TokenBucketOptions)).toThrow(
      expect.objectContaining({ name: 'SecConfigError', code: 'SEC_CONFIG', message }),
    )
  })
})
