import type { LimitDecision } from '../limit-policy.js'

/** A denial the store answered, remembered until its retry time. Times are on the limiter's clock. */
export interface Block {
  /** The smallest cost the block applies to: a larger cost cannot be admitted sooner. */
  readonly cost: number
  /** When the denied cost can be admitted again. */
  readonly until: number
  /** When the key is fully replenished, as the store saw it. */
  readonly resetAt: number
  /** What the store reported as remaining; it can only have grown since. */
  readonly remaining: number
}

/**
 * Remembers the keys a store denied, so that calls for them until their retry time are answered
 * in-process, without a store round trip. Sound because capacity only comes back with time: a key
 * denied cost `c` until `t` is denied any cost `≥ c` until `t`. Forgetting a block early only costs a
 * store call, so the cache is bounded by evicting the oldest block: a flood of denied keys cannot
 * grow it, and can at worst send blocked keys back to the store.
 */
export class BlockCache {
  readonly #blocks = new Map<string, Block>()
  readonly #maxKeys: number

  constructor(maxKeys: number) {
    this.#maxKeys = maxKeys
  }

  /** Blocks held, expired ones included until they are looked up or evicted. */
  get size(): number {
    return this.#blocks.size
  }

  /** The block that still applies to `cost` for `key` at `now`, if any. */
  find(key: string, cost: number, now: number): Block | undefined {
    const block = this.#blocks.get(key)
    if (block === undefined) return undefined
    if (now >= block.until) {
      this.#blocks.delete(key)
      return undefined
    }
    return cost >= block.cost ? block : undefined
  }

  /** Remembers a denial of `cost` for `key` the store answered at `now`; replaces an earlier one. */
  add(key: string, cost: number, now: number, decision: LimitDecision): void {
    if (!(decision.retryAfter > 0)) return
    const blocks = this.#blocks
    if (!blocks.delete(key) && blocks.size >= this.#maxKeys) {
      const oldest = blocks.keys().next()
      if (oldest.done !== true) blocks.delete(oldest.value)
    }
    blocks.set(key, {
      cost,
      until: now + decision.retryAfter,
      resetAt: now + decision.reset,
      remaining: decision.remaining,
    })
  }

  /** Forgets the block of `key`. */
  delete(key: string): void {
    this.#blocks.delete(key)
  }
}
