import { describe, expect, it } from 'vitest'
import { SecConfigError } from '../errors/index.js'
import { memoryRevocationStore, RevocationStoreFullError } from './revocation-store.js'

function manualClock(start = 1_000_000) {
  let now = start
  return {
    now: () => now,
    advance(ms: number) {
      now += ms
    },
  }
}

describe('memoryRevocationStore', () => {
  it('reports a revoked id until the given time, then forgets it', () => {
    const clock = manualClock()
    const store = memoryRevocationStore({ clock })
    store.revoke('t1', clock.now() + 1000)
    expect(store.isRevoked('t1')).toBe(true)
    expect(store.isRevoked('t2')).toBe(false)
    clock.advance(999)
    expect(store.isRevoked('t1')).toBe(true)
    clock.advance(1)
    expect(store.isRevoked('t1')).toBe(false)
  })

  it('records nothing for a time already past', () => {
    const clock = manualClock()
    const store = memoryRevocationStore({ clock, maxEntries: 1 })
    store.revoke('old', clock.now())
    expect(store.isRevoked('old')).toBe(false)
    store.revoke('new', clock.now() + 10)
    expect(store.isRevoked('new')).toBe(true)
  })

  it('keeps the later of two revocations of the same id', () => {
    const clock = manualClock()
    const store = memoryRevocationStore({ clock })
    store.revoke('t', clock.now() + 5000)
    store.revoke('t', clock.now() + 10)
    clock.advance(4999)
    expect(store.isRevoked('t')).toBe(true)
  })

  it('sweeps expired entries when full, and refuses to forget live revocations', () => {
    const clock = manualClock()
    const store = memoryRevocationStore({ clock, maxEntries: 2 })
    store.revoke('a', clock.now() + 10)
    store.revoke('b', clock.now() + 1000)
    clock.advance(10)
    store.revoke('c', clock.now() + 1000)
    expect(store.isRevoked('b')).toBe(true)
    expect(store.isRevoked('c')).toBe(true)
    expect(() => store.revoke('d', clock.now() + 1000)).toThrow(RevocationStoreFullError)
    expect(store.isRevoked('b')).toBe(true)
    expect(store.isRevoked('d')).toBe(false)
  })

  it('refuses bad options', () => {
    expect(() => memoryRevocationStore({ maxEntries: 0 })).toThrow(SecConfigError)
    expect(() => memoryRevocationStore({ maxEntries: 0 })).toThrow(/^memoryRevocationStore\.maxEntries:/)
    expect(() => memoryRevocationStore({ clock: Date.now as never })).toThrow(/memoryRevocationStore\.clock/)
    expect(() => memoryRevocationStore({ ttl: 1 } as never)).toThrow(/is not a known option/)
  })
})
