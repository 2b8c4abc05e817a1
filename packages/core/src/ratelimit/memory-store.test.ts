import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { SecConfigError } from '../errors/index.js'
import { decideFixedWindow } from './algorithms/fixed-window.js'
import { decideSlidingLog, emptySlidingLog } from './algorithms/sliding-log.js'
import { decideSlidingWindow } from './algorithms/sliding-window.js'
import { decideTokenBucket } from './algorithms/token-bucket.js'
import type { LimitDecision, LimitPolicy } from './limit-policy.js'
import { memoryStore } from './memory-store.js'

function manualClock(start = 0) {
  const clock = {
    time: start,
    now: () => clock.time,
  }
  return clock
}

const bucket: LimitPolicy = { algorithm: 'token-bucket', limit: 10, period: 1000 }
const fixed: LimitPolicy = { algorithm: 'fixed-window', limit: 10, period: 1000 }
const sliding: LimitPolicy = { algorithm: 'sliding-window', limit: 10, period: 1000 }
const exact: LimitPolicy = { algorithm: 'sliding-log', limit: 10, period: 1000 }
const policies = [bucket, fixed, sliding, exact] as const

describe('memoryStore options', () => {
  it.each([
    [{ maxKeys: 0 }, 'memoryStore.maxKeys: Expected at least 1 key.'],
    [{ maxKeys: -5 }, 'memoryStore.maxKeys: Expected at least 1 key.'],
    [{ maxKeys: 1.5 }, 'memoryStore.maxKeys: Expected an integer number of keys.'],
    [{ maxKeys: Number.NaN }, 'memoryStore.maxKeys: Expected a number of keys.'],
    [{ maxKeys: '100' }, 'memoryStore.maxKeys: Expected a number of keys.'],
    [
      { maxKeys: 10_000_001 },
      'memoryStore.maxKeys: Expected at most 10,000,000 keys; use a shared store such as Redis beyond that.',
    ],
    [{ clock: {} }, 'memoryStore.clock: Expected { now(): number }.'],
    [{ clock: { now: 5 } }, 'memoryStore.clock: Expected { now(): number }.'],
    [
      { maxkeys: 10 },
      'memoryStore.maxkeys: is not a known option. Remove it or check its spelling against the documentation.',
    ],
  ])('refuses %j', (options, message) => {
    const error = (() => {
      try {
        memoryStore(options as never)
      } catch (caught) {
        return caught
      }
      return undefined
    })()
    expect(error).toBeInstanceOf(SecConfigError)
    expect(error).toMatchObject({ code: 'SEC_CONFIG', message })
  })

  it('accepts the bounds and no options at all', () => {
    expect(memoryStore({ maxKeys: 1 }).size).toBe(0)
    expect(memoryStore({ maxKeys: 10_000_000 }).size).toBe(0)
    expect(memoryStore(undefined).kind).toBe('memory')
  })
})

describe('memoryStore', () => {
  it('decides synchronously on its own monotonic clock', () => {
    const store = memoryStore()
    const first = store.decide(bucket, 'k', 10)
    expect(first).toEqual({ allowed: true, remaining: 0, reset: 1000, retryAfter: 0 })
    const second = store.decide(bucket, 'k', 10)
    expect(second.allowed).toBe(false)
    expect(second.retryAfter).toBeGreaterThan(0)
    expect(second.retryAfter).toBeLessThanOrEqual(1000)
  })

  it.each(policies)('admits exactly the limit of one key, keeping keys apart ($algorithm)', (policy) => {
    const clock = manualClock(5000)
    const store = memoryStore({ clock })
    let admitted = 0
    for (let i = 0; i < 15; i++) if (store.decide(policy, 'a', 1).allowed) admitted++
    expect(admitted).toBe(10)
    expect(store.decide(policy, 'b', 1)).toMatchObject({ allowed: true, remaining: 9 })
    expect(store.size).toBe(2)
  })

  it.each(policies)('records nothing on a peek, and keeps no key for it ($algorithm)', (policy) => {
    const store = memoryStore({ clock: manualClock() })
    expect(store.decide(policy, 'a', 0)).toEqual({ allowed: true, remaining: 10, reset: 0, retryAfter: 0 })
    expect(store.size).toBe(0)
    store.decide(policy, 'a', 3)
    expect(store.decide(policy, 'a', 0)).toMatchObject({ allowed: true, remaining: 7 })
    expect(store.decide(policy, 'a', 0)).toMatchObject({ allowed: true, remaining: 7 })
  })

  it.each(policies)('forgets a key on reset ($algorithm)', (policy) => {
    const store = memoryStore({ clock: manualClock() })
    store.decide(policy, 'a', 10)
    expect(store.decide(policy, 'a', 1).allowed).toBe(false)
    store.reset(policy, 'a')
    store.reset(policy, 'never seen')
    expect(store.size).toBe(0)
    expect(store.decide(policy, 'a', 1)).toMatchObject({ allowed: true, remaining: 9 })
  })

  it('never reads one algorithm state as another when two limiters share a key', () => {
    const store = memoryStore({ clock: manualClock() })
    for (const policy of policies) {
      expect(store.decide(policy, 'shared', 6)).toMatchObject({ allowed: true, remaining: 4 })
    }
    expect(store.size).toBe(1)
    for (const policy of [bucket, fixed, sliding])
      expect(store.decide(policy, 'shared', 0).remaining).toBe(10)
    expect(store.decide(exact, 'shared', 0).remaining).toBe(4)
  })

  it('keeps each sliding log to its own key, and none for refused or peeked keys', () => {
    const clock = manualClock()
    const store = memoryStore({ clock })
    store.decide(exact, 'peeked', 0)
    store.decide(exact, 'a', 4)
    store.decide(exact, 'b', 5)
    clock.time = 10
    store.decide(exact, 'a', 1)
    expect(store.decide(exact, 'a', 0)).toMatchObject({ remaining: 5, reset: 1000 })
    expect(store.decide(exact, 'b', 0)).toMatchObject({ remaining: 5, reset: 990 })
    expect(store.decide(exact, 'peeked', 0)).toMatchObject({ remaining: 10, reset: 0 })
    expect(store.size).toBe(2)
  })

  it('stays within maxKeys', () => {
    const store = memoryStore({ maxKeys: 10, clock: manualClock() })
    for (let i = 0; i < 100; i++) store.decide(policies[i % 4] as LimitPolicy, `k${i}`, 1)
    expect(store.size).toBe(10)
  })

  it.each(policies)(
    'keeps the counters of active keys through a flood of 10x maxKeys new keys ($algorithm)',
    (policy) => {
      const clock = manualClock(1_000_000)
      const maxKeys = 1000
      const store = memoryStore({ maxKeys, clock })
      const active = Array.from({ length: 800 }, (_, i) => `active:${i}`)
      for (let round = 0; round < 3; round++) for (const key of active) store.decide(policy, key, 1)
      let flooded = 0
      for (let i = 0; i < 10 * maxKeys; i++) {
        if (store.decide(policy, `flood:${i}`, 1).allowed) flooded++
        clock.time += 0.001
      }
      expect(flooded).toBe(10 * maxKeys)
      expect(store.size).toBe(maxKeys)
      for (const key of active) expect(store.decide(policy, key, 0).remaining).toBe(7)
    },
  )

  it('keeps active keys that keep coming while the flood goes on', () => {
    const clock = manualClock(1_000_000)
    const store = memoryStore({ maxKeys: 100, clock })
    const active = Array.from({ length: 50 }, (_, i) => `active:${i}`)
    for (const key of active) store.decide(fixed, key, 1)
    for (let i = 0; i < 5000; i++) {
      store.decide(fixed, `flood:${i}`, 1)
      if (i % 1000 === 0) for (const key of active) store.decide(fixed, key, 1)
    }
    for (const key of active) expect(store.decide(fixed, key, 0).remaining).toBe(4)
  })

  it('drops a fully replenished key rather than a live one', () => {
    const clock = manualClock(0)
    const store = memoryStore({ maxKeys: 5, clock })
    // Seen twice, replenished after 200 ms.
    store.decide(bucket, 'idle', 1)
    store.decide(bucket, 'idle', 1)
    clock.time = 100
    for (const key of ['p1', 'p2', 'p3', 'p4']) store.decide(bucket, key, 10)
    clock.time = 500
    store.decide(bucket, 'newcomer', 1)
    for (const key of ['p1', 'p2', 'p3', 'p4']) expect(store.decide(bucket, key, 0).remaining).toBe(4)
  })

  it('grows past its first columns without losing state', () => {
    const store = memoryStore({ maxKeys: 10_000, clock: manualClock(0) })
    for (let i = 0; i < 3000; i++) store.decide(policies[i % 4] as LimitPolicy, `k${i}`, (i % 9) + 1)
    expect(store.size).toBe(3000)
    for (let i = 0; i < 3000; i++) {
      expect(store.decide(policies[i % 4] as LimitPolicy, `k${i}`, 0).remaining).toBe(10 - ((i % 9) + 1))
    }
  })
})

type Step = { readonly key: number; readonly policy: number; readonly wait: number; readonly cost: number }

const decideByAlgorithm = {
  'token-bucket': decideTokenBucket,
  'fixed-window': decideFixedWindow,
  'sliding-window': decideSlidingWindow,
  'sliding-log': decideSlidingLog,
} as const

function emptyState(policy: LimitPolicy): object {
  switch (policy.algorithm) {
    case 'token-bucket':
      return { at: Number.NEGATIVE_INFINITY, debt: 0 }
    case 'fixed-window':
      return { expires: Number.NEGATIVE_INFINITY, count: 0 }
    case 'sliding-window':
      return { expires: Number.NEGATIVE_INFINITY, previous: 0, current: 0 }
    case 'sliding-log':
      return emptySlidingLog()
  }
}

describe('memoryStore properties', () => {
  it('answers exactly as the algorithms over each key state, and resets forget', () => {
    const propertyPolicies: LimitPolicy[] = [
      { algorithm: 'token-bucket', limit: 5, period: 700 },
      { algorithm: 'fixed-window', limit: 4, period: 500 },
      { algorithm: 'sliding-window', limit: 6, period: 300 },
      { algorithm: 'sliding-log', limit: 3, period: 400 },
    ]
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            key: fc.integer({ min: 0, max: 4 }),
            policy: fc.integer({ min: 0, max: 3 }),
            wait: fc.integer({ min: 0, max: 150 }),
            cost: fc.integer({ min: -1, max: 3 }),
          }),
          { maxLength: 200 },
        ),
        (steps: Step[]) => {
          const clock = manualClock(1_000_000)
          const store = memoryStore({ clock })
          const states = new Map<string, object>()
          for (const step of steps) {
            clock.time += step.wait
            const policy = propertyPolicies[step.policy] as LimitPolicy
            const key = `${policy.algorithm}:${step.key}`
            if (step.cost < 0) {
              store.reset(policy, key)
              states.delete(key)
              continue
            }
            const state = states.get(key) ?? emptyState(policy)
            states.set(key, state)
            const decide = decideByAlgorithm[policy.algorithm] as (
              state: object,
              now: number,
              policy: LimitPolicy,
              cost: number,
            ) => LimitDecision
            expect(store.decide(policy, key, step.cost)).toEqual(decide(state, clock.time, policy, step.cost))
          }
        },
      ),
    )
  })
})
