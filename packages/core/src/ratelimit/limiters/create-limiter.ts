import type { LimitDecision, LimitPolicy } from '../limit-policy.js'
import type { LimitCallOptions, RateLimiter, RateLimitResult } from '../rate-limiter.js'
import type { Block } from './block-cache.js'
import { callOptionsError, costError, isValidKey, keyError } from './call-input.js'
import type { LimiterSettings } from './limiter-options.js'
import { StoreHealth } from './store-failover.js'

/**
 * Builds a limiter from a validated policy and resolved settings. Everything is decided here once;
 * a call checks its key and cost, asks the block cache, then the store (or the fallback while the
 * store is down). A store that answers synchronously (the memory store) costs no extra promise
 * besides the one `limit()` returns.
 *
 * `wholeCosts` refuses fractional costs (the sliding log counts entries, not amounts).
 */
export function createLimiter(
  policy: LimitPolicy,
  settings: LimiterSettings,
  wholeCosts: boolean,
): RateLimiter {
  const { name, store, clock, blocks, insurance, probeInterval } = settings
  const limit = policy.limit
  const prefix = `${name}:`
  const health = new StoreHealth({
    limiter: name,
    store: store.kind,
    fallback: insurance !== undefined ? 'insurance' : settings.fail === 'open' ? 'fail-open' : 'fail-closed',
    clock,
    probeInterval,
    sinks: settings.sinks,
  })
  // Nothing is counted while failing open, so the key reports as untouched.
  const failed: RateLimitResult = Object.freeze(
    settings.fail === 'open'
      ? { allowed: true, limit, remaining: limit, reset: 0, retryAfter: 0, source: 'fail-open' }
      : {
          allowed: false,
          limit,
          remaining: 0,
          reset: probeInterval,
          retryAfter: probeInterval,
          source: 'fail-closed',
        },
  )
  const failedAnswer = (): RateLimitResult => failed

  function blocked(block: Block, now: number): RateLimitResult {
    return {
      allowed: false,
      limit,
      remaining: block.remaining,
      reset: Math.max(0, Math.ceil(block.resetAt - now)),
      retryAfter: Math.ceil(block.until - now),
      source: 'block-cache',
    }
  }

  function insured(result: RateLimitResult): RateLimitResult {
    if (result.source !== 'store' && result.source !== 'block-cache') return result
    return {
      allowed: result.allowed,
      limit: result.limit,
      remaining: result.remaining,
      reset: result.reset,
      retryAfter: result.retryAfter,
      source: 'insurance',
    }
  }

  function fallBack(key: string, cost: number): Promise<RateLimitResult> {
    if (insurance === undefined) return Promise.resolve(failed)
    try {
      const answer =
        cost === 0 ? insurance.peek(key) : insurance.limit(key, cost === 1 ? undefined : { cost })
      return Promise.resolve(answer).then(insured, failedAnswer)
    } catch {
      return Promise.resolve(failed)
    }
  }

  function answered(
    decision: LimitDecision,
    storageKey: string,
    cost: number,
    epoch: number,
  ): RateLimitResult {
    if (health.down) health.succeeded(epoch)
    // A peek is denied for one unit; the block then holds for every cost.
    if (!decision.allowed && blocks !== undefined)
      blocks.add(storageKey, cost === 0 ? 1 : cost, clock.now(), decision)
    return {
      allowed: decision.allowed,
      limit,
      remaining: decision.remaining,
      reset: decision.reset,
      retryAfter: decision.retryAfter,
      source: 'store',
    }
  }

  function decide(key: string, storageKey: string, cost: number): Promise<RateLimitResult> {
    if (health.down && !health.probeDue()) return fallBack(key, cost)
    const epoch = health.epoch
    let answer: LimitDecision | Promise<LimitDecision>
    try {
      answer = store.decide(policy, storageKey, cost)
      if (typeof (answer as Partial<PromiseLike<LimitDecision>>).then === 'function') {
        return Promise.resolve(answer).then(
          (decision) => answered(decision, storageKey, cost, epoch),
          (error: unknown) => {
            health.failed(epoch, error)
            return fallBack(key, cost)
          },
        )
      }
    } catch (error) {
      health.failed(epoch, error)
      return fallBack(key, cost)
    }
    return Promise.resolve(answered(answer as LimitDecision, storageKey, cost, epoch))
  }

  function fromBlockCache(storageKey: string, cost: number): RateLimitResult | undefined {
    const now = clock.now()
    const block = (blocks as NonNullable<typeof blocks>).find(storageKey, cost, now)
    return block === undefined ? undefined : blocked(block, now)
  }

  return {
    name,
    policy,
    limit(key: string, options?: LimitCallOptions): Promise<RateLimitResult> {
      let cost: unknown = 1
      if (options !== undefined) {
        if (typeof options !== 'object' || options === null)
          return Promise.reject(callOptionsError(name, options))
        if (options.cost !== undefined) cost = options.cost
      }
      if (!isValidKey(key)) return Promise.reject(keyError(name, key))
      if (typeof cost !== 'number' || !(cost > 0) || cost > limit || (wholeCosts && !Number.isInteger(cost)))
        return Promise.reject(costError(name, cost, limit))
      const storageKey = prefix + key
      if (blocks !== undefined && blocks.size !== 0) {
        const hit = fromBlockCache(storageKey, cost)
        if (hit !== undefined) return Promise.resolve(hit)
      }
      return decide(key, storageKey, cost)
    },
    peek(key: string): Promise<RateLimitResult> {
      if (!isValidKey(key)) return Promise.reject(keyError(name, key))
      const storageKey = prefix + key
      if (blocks !== undefined && blocks.size !== 0) {
        const hit = fromBlockCache(storageKey, 1)
        if (hit !== undefined) return Promise.resolve(hit)
      }
      return decide(key, storageKey, 0)
    },
    async reset(key: string): Promise<void> {
      if (!isValidKey(key)) throw keyError(name, key)
      const storageKey = prefix + key
      blocks?.delete(storageKey)
      if (insurance !== undefined) await insurance.reset(key)
      await store.reset(policy, storageKey)
      // A denial that arrived while the store was resetting may have blocked the key again.
      blocks?.delete(storageKey)
    },
  }
}
