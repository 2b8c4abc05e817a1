import type { LimitDecision, LimitPolicy, RateLimitStore } from '../limit-policy.js'

/** A store call a {@link FakeStore} recorded. */
export interface StoreCall {
  readonly key: string
  readonly cost: number
}

/** How a {@link FakeStore} answers `decide`. */
export type FakeStoreMode = 'sync' | 'async' | 'throw' | 'reject' | 'hang'

/**
 * A store for tests: it counts cost per key against `policy.limit` with a fixed retry time, records
 * every call, and can be switched to answer asynchronously, throw, reject, or hang until the test
 * settles the pending call.
 */
export class FakeStore implements RateLimitStore {
  readonly kind = 'fake'
  mode: FakeStoreMode = 'sync'
  /** The `retryAfter` and `reset` of a denial, ms. */
  retryAfter = 1000
  readonly calls: StoreCall[] = []
  readonly resets: string[] = []
  readonly pending: { resolve(decision: LimitDecision): void; reject(error: unknown): void }[] = []
  readonly used = new Map<string, number>()
  readonly error = new Error('store down')

  decide(policy: LimitPolicy, key: string, cost: number): LimitDecision | Promise<LimitDecision> {
    this.calls.push({ key, cost })
    switch (this.mode) {
      case 'sync':
        return this.count(policy, key, cost)
      case 'async':
        return Promise.resolve().then(() => this.count(policy, key, cost))
      case 'throw':
        throw this.error
      case 'reject':
        return Promise.reject(this.error)
      case 'hang':
        return new Promise((resolve, reject) => this.pending.push({ resolve, reject }))
    }
  }

  reset(_policy: LimitPolicy, key: string): void {
    this.resets.push(key)
    this.used.delete(key)
  }

  count(policy: LimitPolicy, key: string, cost: number): LimitDecision {
    const used = this.used.get(key) ?? 0
    const allowed = used + Math.max(cost, 1) <= policy.limit
    const now = allowed ? used + cost : used
    this.used.set(key, now)
    return {
      allowed,
      remaining: policy.limit - now,
      reset: now > 0 ? this.retryAfter : 0,
      retryAfter: allowed ? 0 : this.retryAfter,
    }
  }
}

/** A clock the test moves by hand. */
export class ManualClock {
  time = 1_000_000
  now(): number {
    return this.time
  }
  advance(ms: number): void {
    this.time += ms
  }
}
