import type { LimitAlgorithm } from '../limit-policy.js'
import type { LimitCallOptions, RateLimiter, RateLimitResult } from '../rate-limiter.js'

/** A call a {@link FakeLimiter} received. */
export interface FakeCall {
  readonly key: string
  /** The cost taken, or `'peek'`. */
  readonly cost: number | 'peek'
}

/** A limiter for the guard's tests: counts units per key without time, and answers with the times it is given. */
export interface FakeLimiter extends RateLimiter {
  readonly calls: FakeCall[]
  /** ms reported as `reset` once a key has used anything. */
  resetMs: number
  /** ms reported as `retryAfter` on a denial. */
  retryAfterMs: number
  /** Answers every call with this source, denying when it is `fail-closed`. */
  source: RateLimitResult['source']
}

/** The policy of a {@link FakeLimiter} and the times it answers with. */
export interface FakeLimiterOptions {
  /** Units admitted per key. */
  readonly limit: number
  /** ms. */
  readonly period: number
  /** Default: `'fixed-window'`. */
  readonly algorithm?: LimitAlgorithm
  /** Default: `period`. */
  readonly resetMs?: number
  /** Default: `period`. */
  readonly retryAfterMs?: number
  /** Whether it also answers synchronously (`limitSync`, `peekSync`), as in-process limiters do. Default: `false`. */
  readonly sync?: boolean
}

/** Creates a {@link FakeLimiter} named `name`. */
export function fakeLimiter(name: string, options: FakeLimiterOptions): FakeLimiter {
  const { limit, period } = options
  const used = new Map<string, number>()

  function answer(key: string, cost: number, record: boolean): RateLimitResult {
    const before = used.get(key) ?? 0
    const closed = fake.source === 'fail-closed'
    const allowed = !closed && before + Math.max(cost, 1) <= limit
    const after = allowed && record ? before + cost : before
    if (allowed && record) used.set(key, after)
    return {
      allowed,
      limit,
      remaining: closed ? 0 : limit - after,
      reset: after > 0 ? fake.resetMs : 0,
      retryAfter: allowed ? 0 : fake.retryAfterMs,
      source: fake.source,
    }
  }

  const fake: FakeLimiter = {
    name,
    policy: { algorithm: options.algorithm ?? 'fixed-window', limit, period },
    calls: [],
    resetMs: options.resetMs ?? period,
    retryAfterMs: options.retryAfterMs ?? period,
    source: 'store',
    async limit(key: string, call?: LimitCallOptions) {
      const cost = call?.cost ?? 1
      fake.calls.push({ key, cost })
      return answer(key, cost, true)
    },
    async peek(key: string) {
      fake.calls.push({ key, cost: 'peek' })
      return answer(key, 0, false)
    },
    async reset(key: string) {
      used.delete(key)
    },
  }
  if (options.sync !== true) return fake
  return Object.assign(fake, {
    limitSync(key: string, call?: LimitCallOptions) {
      const cost = call?.cost ?? 1
      fake.calls.push({ key, cost })
      return answer(key, cost, true)
    },
    peekSync(key: string) {
      fake.calls.push({ key, cost: 'peek' as const })
      return answer(key, 0, false)
    },
  })
}
