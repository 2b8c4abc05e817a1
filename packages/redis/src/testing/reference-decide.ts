import type { LimitDecision, LimitPolicy } from '@sec/core'

/**
 * The limiters' math as the project specifies it, written plainly for tests to compare the Lua
 * script against: one in-memory state per key, `now` given by the caller. Keys never expire here;
 * an expired key and its stale state decide alike, by construction of each algorithm.
 */
export interface ReferenceStore {
  decide(policy: LimitPolicy, key: string, cost: number, now: number): ReferenceDecision
}

/** A decision plus the TTL (ms) the store must give the key, when it wrote. */
export interface ReferenceDecision extends LimitDecision {
  readonly ttl: number | undefined
}

type State =
  | { readonly kind: 'tat'; tat: number }
  | { readonly kind: 'fixed'; start: number; count: number }
  | { readonly kind: 'sliding'; start: number; prev: number; curr: number }
  | { readonly kind: 'log'; entries: { time: number; cost: number }[] }

const up = (ms: number): number => Math.max(0, Math.ceil(ms))
const ttlOf = (ms: number): number => Math.max(1, Math.ceil(ms))

export function referenceStore(): ReferenceStore {
  const states = new Map<string, State>()

  return {
    decide({ algorithm, limit: L, period: P }, key, c, now) {
      const EPS = 1e-9 * L
      const ask = c > 0 ? c : 1
      const remainingOf = (used: number): number => Math.max(0, Math.floor(L - used + EPS))
      const stored = states.get(key)

      if (algorithm === 'token-bucket') {
        const T = P / L
        const tat0 = Math.max(stored?.kind === 'tat' ? stored.tat : now, now)
        const used0 = (tat0 - now) / T
        const allowed = used0 + ask <= L + EPS
        let ttl: number | undefined
        let used = used0
        if (allowed && c > 0) {
          const tat1 = tat0 + c * T
          states.set(key, { kind: 'tat', tat: tat1 })
          ttl = ttlOf(tat1 - now)
          used = used0 + c
        }
        const retryAfter = allowed ? 0 : up((used0 + ask - L) * T)
        return { allowed, remaining: remainingOf(used), reset: up(used * T), retryAfter, ttl }
      }

      if (algorithm === 'fixed-window') {
        const start = Math.floor(now / P) * P
        let count = stored?.kind === 'fixed' && stored.start === start ? stored.count : 0
        const allowed = count + ask <= L + EPS
        let ttl: number | undefined
        if (allowed && c > 0) {
          count += c
          states.set(key, { kind: 'fixed', start, count })
          ttl = ttlOf(start + P - now)
        }
        const reset = count > 0 ? up(start + P - now) : 0
        const retryAfter = allowed ? 0 : up(start + P - now)
        return { allowed, remaining: remainingOf(count), reset, retryAfter, ttl }
      }

      if (algorithm === 'sliding-window') {
        const start = Math.floor(now / P) * P
        let prev = 0
        let curr = 0
        if (stored?.kind === 'sliding' && stored.start === start) {
          prev = stored.prev
          curr = stored.curr
        } else if (stored?.kind === 'sliding' && stored.start === start - P) {
          prev = stored.curr
        }
        const w = (start + P - now) / P
        const est = prev * w + curr
        const allowed = est + ask <= L + EPS
        let ttl: number | undefined
        let used = est
        if (allowed && c > 0) {
          curr += c
          used = est + c
          states.set(key, { kind: 'sliding', start, prev, curr })
          ttl = ttlOf(start + 2 * P - now)
        }
        const reset = curr > 0 ? up(start + 2 * P - now) : prev > 0 ? up(start + P - now) : 0
        let retryAfter = 0
        if (!allowed)
          retryAfter =
            curr + ask <= L
              ? up(start + P * (1 - (L - curr - ask) / prev) - now)
              : up(start + P + P * (1 - (L - ask) / curr) - now)
        return { allowed, remaining: remainingOf(used), reset, retryAfter, ttl }
      }

      const entries = (stored?.kind === 'log' ? stored.entries : []).filter((entry) => entry.time > now - P)
      const used0 = entries.reduce((sum, entry) => sum + entry.cost, 0)
      const allowed = used0 + ask <= L
      let ttl: number | undefined
      let used = used0
      if (allowed && c > 0) {
        entries.push({ time: now, cost: c })
        used = used0 + c
        ttl = ttlOf(P)
      }
      states.set(key, { kind: 'log', entries })
      let retryAfter = 0
      if (!allowed) {
        let freed = 0
        for (const entry of entries) {
          freed += entry.cost
          if (used0 - freed + ask <= L) {
            retryAfter = up(entry.time + P - now)
            break
          }
        }
      }
      const newest = entries.at(-1)
      const reset = newest === undefined ? 0 : up(newest.time + P - now)
      return { allowed, remaining: Math.max(0, L - used), reset, retryAfter, ttl }
    },
  }
}
