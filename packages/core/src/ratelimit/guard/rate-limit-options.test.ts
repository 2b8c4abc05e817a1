import { describe, expect, it } from 'vitest'
import { SecConfigError } from '../../errors/index.js'
import { createSecurity } from '../../pipeline/index.js'
import { fromWebRequest } from '../../request/index.js'
import type { RateLimiter } from '../rate-limiter.js'
import { fakeLimiter } from './fake-limiter.js'
import { type RateLimitOptions, rateLimit } from './index.js'

const api = fakeLimiter('api', { limit: 10, period: 60_000 })
const burst = fakeLimiter('burst', { limit: 5, period: 1_000 })

function configErrorOf(options: unknown): { path: string; message: string } {
  try {
    rateLimit(options as RateLimitOptions)
  } catch (error) {
    expect(error).toBeInstanceOf(SecConfigError)
    const { path, message } = error as SecConfigError
    return { path, message }
  }
  throw new Error('expected a configuration error')
}

function refuses(options: unknown, path: string, message: string): void {
  expect(configErrorOf(options)).toEqual({ path, message: `${path}: ${message}` })
}

describe('rateLimit options', () => {
  it('builds a guard named rate-limit', () => {
    const guard = rateLimit({ limiter: api })
    expect(guard.name).toBe('rate-limit')
    expect(guard.always).toBeUndefined()
  })

  it('accepts every documented option', () => {
    expect(() =>
      rateLimit({
        tiers: { anonymous: api, pro: [burst, fakeLimiter('pro', { limit: 100, period: 60_000 })] },
        tier: () => 'pro',
        by: 'api-key',
        apiKeyHeader: 'X-Client-Key',
        cost: 2,
        headers: 'ietf',
      }),
    ).not.toThrow()
    for (const headers of ['both', 'legacy', false] as const)
      expect(() => rateLimit({ limiter: api, headers })).not.toThrow()
    for (const by of ['ip', 'user', () => 'k'] as const)
      expect(() => rateLimit({ limiter: api, by })).not.toThrow()
  })

  it('needs a limiter or tiers, not both', () => {
    refuses(
      {},
      'rateLimit',
      'needs a limiter, e.g. rateLimit({ limiter: tokenBucket({ capacity: 60, refillRate: 1, interval: "1s" }) }), or tiers.',
    )
    expect(configErrorOf(undefined)).toEqual(configErrorOf({}))
    refuses(
      { limiter: api, tiers: { anonymous: api } },
      'rateLimit',
      'has both limiter and tiers. Give limiter for one set of limits, or tiers for several.',
    )
  })

  it('refuses unknown option names', () => {
    refuses(
      { limiter: api, limit: 10 },
      'rateLimit.limit',
      'is not a known option. Remove it or check its spelling against the documentation.',
    )
  })

  it('refuses what is not a limiter', () => {
    const expected = 'Expected a rate limiter, such as tokenBucket({ ... }) or slidingWindow({ ... }).'
    refuses({ limiter: 10 }, 'rateLimit.limiter', expected)
    refuses({ limiter: null }, 'rateLimit.limiter', expected)
    refuses({ limiter: [api, { name: 'x' }] }, 'rateLimit.limiter[1]', expected)
    refuses({ limiter: [] }, 'rateLimit.limiter', 'is empty. Give at least one limiter.')
  })

  it('refuses limiter names that are not valid in the RateLimit headers', () => {
    for (const name of ['', 'a b', 'api"', 'a,b', 'ключ', 'a;q=1'])
      refuses(
        { limiter: [api, { ...api, name }] },
        'rateLimit.limiter[1].name',
        `must be letters, digits, '_', '.' or '-' (it names the limiter in the RateLimit headers); got ${JSON.stringify(name)}.`,
      )
  })

  it('refuses a policy without a positive finite limit and period', () => {
    for (const policy of [
      undefined,
      { algorithm: 'token-bucket', limit: 0, period: 1_000 },
      { algorithm: 'token-bucket', limit: 10, period: Number.NaN },
      { algorithm: 'token-bucket', limit: Number.POSITIVE_INFINITY, period: 1_000 },
    ])
      refuses(
        { limiter: { ...api, policy } },
        'rateLimit.limiter.policy',
        'must have a finite limit and period greater than 0.',
      )
  })

  it('refuses a limiter listed twice, and two policies under one name', () => {
    refuses(
      { limiter: [api, api] },
      'rateLimit.limiter[1]',
      'repeats the limiter "api": each request would take its cost twice from one counter. List it once.',
    )
    const twin = fakeLimiter('api', { limit: 10, period: 60_000 })
    refuses(
      { limiter: [api, twin] },
      'rateLimit.limiter[1]',
      'repeats the limiter "api": each request would take its cost twice from one counter. List it once.',
    )
    const other = fakeLimiter('api', { limit: 100, period: 60_000 })
    refuses(
      { tiers: { anonymous: api, pro: other } },
      'rateLimit.tiers.pro.name',
      '"api" names two limiters with different policies, which would share their counters in a store. Give each its own name.',
    )
  })

  it('lets tiers use two limiters with one name and one policy, as processes do', () => {
    const twin = fakeLimiter('api', { limit: 10, period: 60_000 })
    expect(() => rateLimit({ tiers: { anonymous: api, authenticated: twin } })).not.toThrow()
  })

  it('lets tiers share a limiter', () => {
    expect(() => rateLimit({ tiers: { anonymous: [burst, api], pro: [burst] } })).not.toThrow()
  })

  it('checks tiers', () => {
    const expected = 'Expected an object of limiters by tier, e.g. { anonymous: …, authenticated: … }.'
    refuses({ tiers: [api] }, 'rateLimit.tiers', expected)
    refuses({ tiers: 'api' }, 'rateLimit.tiers', expected)
    refuses(
      { tiers: { authenticated: api } },
      'rateLimit.tiers',
      'has no anonymous tier. Add one: it limits requests without a principal, and any tier name not listed.',
    )
    refuses(
      { tiers: { anonymous: api, pro: [] } },
      'rateLimit.tiers.pro',
      'is empty. Give at least one limiter.',
    )
    refuses(
      { tiers: { anonymous: api, pro: [burst, 'fast'] } },
      'rateLimit.tiers.pro[1]',
      'Expected a rate limiter, such as tokenBucket({ ... }) or slidingWindow({ ... }).',
    )
  })

  it('takes tier only with tiers, as a function', () => {
    refuses(
      { limiter: api, tier: () => 'pro' },
      'rateLimit.tier',
      'only applies with tiers. Remove it, or give tiers instead of limiter.',
    )
    refuses({ tiers: { anonymous: api }, tier: 'pro' }, 'rateLimit.tier', 'Expected a function.')
  })

  it('checks by and apiKeyHeader', () => {
    refuses(
      { limiter: api, by: 'session' },
      'rateLimit.by',
      "Expected 'ip', 'user', 'api-key' or a function of the request returning a key.",
    )
    refuses(
      { limiter: api, apiKeyHeader: 'x-key' },
      'rateLimit.apiKeyHeader',
      "only applies with by: 'api-key'. Remove it, or set by: 'api-key'.",
    )
    for (const header of ['', 'x api key', 'x-key:'])
      refuses(
        { limiter: api, by: 'api-key', apiKeyHeader: header },
        'rateLimit.apiKeyHeader',
        'Expected a header name such as x-api-key.',
      )
  })

  it('checks the cost', () => {
    for (const cost of [Number.NaN, -1, Number.POSITIVE_INFINITY, '1', null])
      refuses(
        { limiter: api, cost },
        'rateLimit.cost',
        'Expected a finite number of units (0 or more) or a function of the request returning one.',
      )
    refuses(
      { tiers: { anonymous: api, pro: burst }, cost: 6 },
      'rateLimit.cost',
      'is 6, more than the limit of "burst" (5), so no request could ever be admitted. Lower the cost or raise the limit.',
    )
    const log = fakeLimiter('log', { limit: 10, period: 60_000, algorithm: 'sliding-log' })
    refuses(
      { limiter: [api, log], cost: 1.5 },
      'rateLimit.cost',
      'must be a whole number: "log" is a sliding log.',
    )
    expect(() => rateLimit({ limiter: [api, log], cost: 2 })).not.toThrow()
    expect(() => rateLimit({ limiter: api, cost: 0 })).not.toThrow()
    expect(() => rateLimit({ limiter: api, cost: 10 })).not.toThrow()
  })

  it('checks headers', () => {
    for (const headers of [true, 'none', 'draft-7'])
      refuses({ limiter: api, headers }, 'rateLimit.headers', "Expected 'both', 'ietf', 'legacy' or false.")
  })

  it('reads each option once, at construction, and never per request', async () => {
    let reads = 0
    const options = {
      get limiter(): RateLimiter {
        reads++
        return api
      },
    }
    const security = createSecurity({ guards: [rateLimit(options)] })
    const afterConstruction = reads
    await security.protect(
      fromWebRequest(new Request('https://api.example.com/'), { remoteAddress: '192.0.2.1' }),
    )
    expect(afterConstruction).toBeGreaterThan(0)
    expect(reads).toBe(afterConstruction)
  })
})
