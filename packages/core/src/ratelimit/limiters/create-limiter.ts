import type { LimitDecision, LimitPolicy } from '../limit-policy.js'
import { bindMemoryStore, type MemoryLimiterStore } from '../memory-store.js'
import type { LimitCallOptions, RateLimiter, RateLimitResult, SyncRateLimiter } from '../rate-limiter.js'
import type { Block } from './block-cache.js'
import { callOptionsError, costError, isValidKey, keyError } from './call-input.js'
import type { LimiterSettings } from './limiter-options.js'
import { SecRateLimitError } from './ratelimit-error.js'
import { StoreHealth } from './store-failover.js'

/**
 * Builds a limiter from a validated policy and resolved settings. Everything is decided here once;
 * a call checks its key and cost, asks the block cache, then the store (or the fallback while the
 * store is down). A store that answers synchronously (the memory store) costs no extra promise
 * besides the one `limit()` returns; a memory store is moreover bound to the limiter once, so a
 * call passes it the bare key and one clock reading, and makes its result from the store's answer
 * with no other allocation. Keys are checked alike on every store, lone surrogates included, so a
 * key the memory store takes is one Redis takes too. On a memory store the limiter is also a
 * `SyncRateLimiter`, whose `limitSync()` and `peekSync()` answer without a promise.
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
  const memory = bindMemoryStore(store, name, policy)
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

  // The one place results from a store are made, so they all share one shape.
  function fromStore(decision: LimitDecision): RateLimitResult {
    return {
      allowed: decision.allowed,
      limit,
      remaining: decision.remaining,
      reset: decision.reset,
      retryAfter: decision.retryAfter,
      source: 'store',
    }
  }

  function answered(decision: LimitDecision, key: string, cost: number, epoch: number): RateLimitResult {
    if (health.down) health.succeeded(epoch)
    // A peek is denied for one unit; the block then holds for every cost.
    if (!decision.allowed && blocks !== undefined)
      blocks.add(key, cost === 0 ? 1 : cost, clock.now(), decision)
    return fromStore(decision)
  }

  function decide(key: string, storageKey: string, cost: number): Promise<RateLimitResult> {
    if (health.down && !health.probeDue()) return fallBack(key, cost)
    const epoch = health.epoch
    let answer: LimitDecision | Promise<LimitDecision>
    try {
      answer = store.decide(policy, storageKey, cost)
      if (typeof (answer as Partial<PromiseLike<LimitDecision>>).then === 'function') {
        return Promise.resolve(answer).then(
          (decision) => answered(decision, key, cost, epoch),
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
    return Promise.resolve(answered(answer as LimitDecision, key, cost, epoch))
  }

  function fromBlockCache(key: string, cost: number, now: number): RateLimitResult | undefined {
    const block = (blocks as NonNullable<typeof blocks>).find(key, cost, now)
    return block === undefined ? undefined : blocked(block, now)
  }

  // The store is up and no key is blocked: one clock reading, and the store decides. Rarer paths are
  // calls of their own, which keeps this one small enough to be compiled with the clock reading
  // inlined. `undefined` means the store failed: each caller falls back in its own way.
  function decideInMemory(bound: MemoryLimiterStore, key: string, cost: number): RateLimitResult | undefined {
    if (health.down || (blocks !== undefined && blocks.size !== 0))
      return decideInMemoryCarefully(bound, key, cost)
    let decision: LimitDecision
    let now: number
    try {
      now = bound.clock.now()
      decision = bound.decide(key, cost, now)
    } catch (error) {
      // Synchronous, so the epoch cannot have moved since the call began.
      health.failed(health.epoch, error)
      return undefined
    }
    if (!decision.allowed) deniedInMemory(bound, key, cost, now, decision)
    return fromStore(decision)
  }

  // Some key is blocked or the store is down: the block cache first (on the limiter's clock, so it
  // answers even when the store's clock fails), then the store, as the probe when it is down. One
  // clock reading serves both when the limiter and the store share their clock.
  function decideInMemoryCarefully(
    bound: MemoryLimiterStore,
    key: string,
    cost: number,
  ): RateLimitResult | undefined {
    const epoch = health.epoch
    let decision: LimitDecision
    let now: number | undefined
    try {
      if (blocks !== undefined && blocks.size !== 0) {
        const blockNow = clock.now()
        const hit = fromBlockCache(key, cost === 0 ? 1 : cost, blockNow)
        if (hit !== undefined) return hit
        if (bound.clock === clock) now = blockNow
      }
      if (health.down && !health.probeDue()) return undefined
      now ??= bound.clock.now()
      decision = bound.decide(key, cost, now)
    } catch (error) {
      health.failed(epoch, error)
      return undefined
    }
    if (health.down) health.succeeded(epoch)
    if (!decision.allowed) deniedInMemory(bound, key, cost, now, decision)
    return fromStore(decision)
  }

  // A store of kind `memory` that could not be bound (a store of many limiters, or one of the
  // caller's own): it takes whole keys, and must answer synchronously like every memory store.
  function decideInUnboundMemory(key: string, cost: number): RateLimitResult | undefined {
    if (blocks !== undefined && blocks.size !== 0) {
      const hit = fromBlockCache(key, cost === 0 ? 1 : cost, clock.now())
      if (hit !== undefined) return hit
    }
    if (health.down && !health.probeDue()) return undefined
    const epoch = health.epoch
    try {
      const answer = store.decide(policy, prefix + key, cost)
      if (typeof (answer as Partial<PromiseLike<LimitDecision>>).then !== 'function')
        return answered(answer as LimitDecision, key, cost, epoch)
      // Keeps a rejection of the stray promise from going unhandled; the store is failed either way.
      Promise.resolve(answer).catch(ignore)
      throw new SecRateLimitError(
        'SEC_RATELIMIT_STORE',
        name,
        "the store says its kind is 'memory' but answered with a promise; a memory store must decide synchronously. Give it another kind.",
      )
    } catch (error) {
      health.failed(epoch, error)
      return undefined
    }
  }

  function decideSync(key: string, cost: number): RateLimitResult {
    const answer = memory !== undefined ? decideInMemory(memory, key, cost) : decideInUnboundMemory(key, cost)
    return answer ?? fallBackSync(key, cost)
  }

  function fallBackSync(key: string, cost: number): RateLimitResult {
    if (insurance === undefined || !isSyncLimiter(insurance)) return failed
    try {
      return insured(
        cost === 0 ? insurance.peekSync(key) : insurance.limitSync(key, cost === 1 ? undefined : { cost }),
      )
    } catch {
      return failed
    }
  }

  // `now` is the store's reading, and serves the block cache when the clocks are the same.
  function deniedInMemory(
    bound: MemoryLimiterStore,
    key: string,
    cost: number,
    now: number,
    decision: LimitDecision,
  ): void {
    if (blocks !== undefined)
      blocks.add(key, cost === 0 ? 1 : cost, bound.clock === clock ? now : clock.now(), decision)
  }

  // Checked in this order: the options' type, the key, then the cost. Returns the error to raise.
  function callError(key: string, options: LimitCallOptions): SecRateLimitError | undefined {
    if (typeof options !== 'object' || options === null) return callOptionsError(name, options)
    if (!isValidKey(key)) return keyError(name, key)
    const cost: unknown = options.cost === undefined ? 1 : options.cost
    if (typeof cost !== 'number' || !(cost > 0) || cost > limit || (wholeCosts && !Number.isInteger(cost)))
      return costError(name, cost, limit)
    return undefined
  }

  function limitWithOptions(key: string, options: LimitCallOptions): Promise<RateLimitResult> {
    const error = callError(key, options)
    return error === undefined ? decideWith(key, options.cost ?? 1) : Promise.reject(error)
  }

  function decideWith(key: string, cost: number): Promise<RateLimitResult> {
    if (memory !== undefined) return settled(decideInMemory(memory, key, cost), key, cost)
    if (blocks !== undefined && blocks.size !== 0) {
      const hit = fromBlockCache(key, cost === 0 ? 1 : cost, clock.now())
      if (hit !== undefined) return Promise.resolve(hit)
    }
    return decide(key, prefix + key, cost)
  }

  function settled(answer: RateLimitResult | undefined, key: string, cost: number): Promise<RateLimitResult> {
    return answer === undefined ? fallBack(key, cost) : Promise.resolve(answer)
  }

  const limiter: RateLimiter = {
    name,
    policy,
    limit(key: string, options?: LimitCallOptions): Promise<RateLimitResult> {
      if (options !== undefined) return limitWithOptions(key, options)
      if (!isValidKey(key)) return Promise.reject(keyError(name, key))
      if (memory !== undefined) return settled(decideInMemory(memory, key, 1), key, 1)
      return decideWith(key, 1)
    },
    peek(key: string): Promise<RateLimitResult> {
      if (!isValidKey(key)) return Promise.reject(keyError(name, key))
      return decideWith(key, 0)
    },
    async reset(key: string): Promise<void> {
      if (!isValidKey(key)) throw keyError(name, key)
      blocks?.delete(key)
      if (insurance !== undefined) await insurance.reset(key)
      if (memory !== undefined) memory.reset(key)
      else await store.reset(policy, prefix + key)
      // A denial that arrived while the store was resetting may have blocked the key again.
      blocks?.delete(key)
    },
  }
  if (store.kind !== 'memory') return limiter
  const syncLimiter: SyncRateLimiter = {
    ...limiter,
    limitSync(key: string, options?: LimitCallOptions): RateLimitResult {
      if (options !== undefined) {
        const error = callError(key, options)
        if (error !== undefined) throw error
        return decideSync(key, options.cost ?? 1)
      }
      if (!isValidKey(key)) throw keyError(name, key)
      return decideSync(key, 1)
    },
    peekSync(key: string): RateLimitResult {
      if (!isValidKey(key)) throw keyError(name, key)
      return decideSync(key, 0)
    },
  }
  return syncLimiter
}

/** Whether `limiter` also decides synchronously (its counters live in process). */
export function isSyncLimiter(limiter: RateLimiter): limiter is SyncRateLimiter {
  return typeof (limiter as Partial<SyncRateLimiter>).limitSync === 'function'
}

const ignore = (): void => {}
