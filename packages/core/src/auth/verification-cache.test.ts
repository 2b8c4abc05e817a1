import { describe, expect, it } from 'vitest'
import { createVerificationCache } from './verification-cache.js'

describe('createVerificationCache', () => {
  it('returns a value until its validity ends, then drops it', () => {
    const cache = createVerificationCache<string>(10)
    cache.set('token', 'verified', 2000)
    expect(cache.get('token', 1999)).toBe('verified')
    expect(cache.get('other', 1000)).toBeUndefined()
    expect(cache.get('token', 2000)).toBeUndefined()
    expect(cache.size).toBe(0)
  })

  it('holds at most maxEntries, evicting the oldest first', () => {
    const cache = createVerificationCache<number>(2)
    cache.set('a', 1, 100)
    cache.set('b', 2, 100)
    cache.set('c', 3, 100)
    expect(cache.size).toBe(2)
    expect(cache.get('a', 0)).toBeUndefined()
    expect(cache.get('b', 0)).toBe(2)
    expect(cache.get('c', 0)).toBe(3)
  })

  it('replaces an entry for the same token without evicting another', () => {
    const cache = createVerificationCache<number>(2)
    cache.set('a', 1, 100)
    cache.set('b', 2, 100)
    cache.set('b', 3, 200)
    expect(cache.get('a', 0)).toBe(1)
    expect(cache.get('b', 150)).toBe(3)
  })

  it('matches the whole token, also between long tokens that end alike', () => {
    const signature = 'S'.repeat(40)
    const alice = `header.${'a'.repeat(60)}.${signature}`
    const forged = `header.${'b'.repeat(60)}.${signature}`
    const cache = createVerificationCache<string>(10)
    cache.set(alice, 'alice', 100)
    expect(cache.get(alice, 0)).toBe('alice')
    expect(cache.get(forged, 0)).toBeUndefined()
    expect(cache.get(alice, 0)).toBe('alice')
    cache.set(forged, 'forged', 100)
    expect(cache.get(forged, 0)).toBe('forged')
    expect(cache.get(alice, 0)).toBeUndefined()
    expect(cache.size).toBe(1)
  })
})
