import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { SecConfigError } from '../../errors/index.js'
import { memoryNonceStore, NonceStoreFullError } from './nonce-store.js'

function manualClock(start = 1_000_000) {
  let now = start
  return {
    now: () => now,
    advance(ms: number) {
      now += ms
    },
  }
}

describe('memoryNonceStore', () => {
  it('accepts a nonce once while it lives, then again after it expired', () => {
    const clock = manualClock()
    const store = memoryNonceStore({ clock })
    expect(store.record('n1', 1000)).toBe(true)
    expect(store.record('n1', 1000)).toBe(false)
    expect(store.record('n2', 1000)).toBe(true)
    clock.advance(999)
    expect(store.record('n1', 1000)).toBe(false)
    clock.advance(1)
    expect(store.record('n1', 1000)).toBe(true)
  })

  it('keeps a nonce at least 1 ms, whatever the ttl', () => {
    const clock = manualClock()
    const store = memoryNonceStore({ clock })
    expect(store.record('zero', 0)).toBe(true)
    expect(store.record('zero', 0)).toBe(false)
    expect(store.record('nan', Number.NaN)).toBe(true)
    expect(store.record('nan', 5)).toBe(false)
    clock.advance(1)
    expect(store.record('zero', 0)).toBe(true)
  })

  it('accepts exactly one of many concurrent records of a nonce', async () => {
    const store = memoryNonceStore()
    const results = await Promise.all(Array.from({ length: 20 }, async () => store.record('race', 60_000)))
    expect(results.filter(Boolean)).toHaveLength(1)
  })

  it('sweeps expired nonces when full, and refuses to forget live ones', () => {
    const clock = manualClock()
    const store = memoryNonceStore({ clock, maxEntries: 2 })
    expect(store.record('long', 10_000)).toBe(true)
    expect(store.record('short', 10)).toBe(true)
    clock.advance(10)
    expect(store.record('c', 1000)).toBe(true)
    expect(() => store.record('d', 1000)).toThrow(NonceStoreFullError)
    expect(() => store.record('d', 1000)).toThrow(
      'The nonce store holds 2 live nonces: raise maxEntries, shorten the window, or use a shared store such as @sec/redis.',
    )
    expect(store.record('long', 1)).toBe(false)
    expect(store.record('c', 1)).toBe(false)
    clock.advance(1000)
    expect(store.record('d', 1000)).toBe(true)
    expect(store.record('long', 1)).toBe(false)
  })

  it('makes room from expired nonces, round after round', () => {
    const clock = manualClock()
    const store = memoryNonceStore({ clock, maxEntries: 3 })
    for (let round = 0; round < 100; round++) {
      expect(store.record(`r${round}-a`, 5)).toBe(true)
      expect(store.record(`r${round}-b`, 5)).toBe(true)
      clock.advance(5)
    }
  })

  it('has a stable error code', () => {
    expect(new NonceStoreFullError(5).code).toBe('SEC_NONCE_STORE_FULL')
  })

  it('refuses bad options', () => {
    expect(() => memoryNonceStore({ maxEntries: 0 })).toThrow(SecConfigError)
    expect(() => memoryNonceStore({ maxEntries: 1.5 })).toThrow('memoryNonceStore.maxEntries')
    expect(() => memoryNonceStore({ clock: {} as never })).toThrow(
      'memoryNonceStore.clock: Expected { now(): number }',
    )
    expect(() => memoryNonceStore({ ttl: 5 } as never)).toThrow('memoryNonceStore.ttl: is not a known option')
  })
})

describe('memoryNonceStore against a plain model', () => {
  it('answers every record as a map of live nonces would, and is full only when that map is', () => {
    const step = fc.record({
      nonce: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'),
      ttl: fc.integer({ min: 0, max: 50 }),
      advance: fc.integer({ min: 0, max: 30 }),
    })
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.array(step, { maxLength: 200 }), (maxEntries, steps) => {
        let now = 1_000
        const store = memoryNonceStore({ maxEntries, clock: { now: () => now } })
        const live = new Map<string, number>()
        for (const { nonce, ttl, advance } of steps) {
          now += advance
          for (const [key, until] of live) if (until <= now) live.delete(key)
          const expected = live.has(nonce) ? false : live.size >= maxEntries ? 'full' : true
          let actual: boolean | 'full'
          try {
            actual = store.record(nonce, ttl) as boolean
          } catch (error) {
            if (!(error instanceof NonceStoreFullError)) throw error
            actual = 'full'
          }
          expect(actual).toBe(expected)
          if (expected === true) live.set(nonce, now + Math.max(1, Math.ceil(ttl)))
        }
      }),
      { numRuns: 300 },
    )
  })
})
