import { describe, expect, it } from 'vitest'
import { BlockCache } from './block-cache.js'

const denied = (retryAfter: number, reset = retryAfter, remaining = 0) => ({
  allowed: false,
  remaining,
  reset,
  retryAfter,
})

describe('BlockCache', () => {
  it('holds a denial until its retry time, then forgets it', () => {
    const cache = new BlockCache(10)
    cache.add('k', 1, 1000, denied(500, 2000, 3))
    expect(cache.find('k', 1, 1000)).toEqual({ cost: 1, until: 1500, resetAt: 3000, remaining: 3 })
    expect(cache.find('k', 1, 1499.5)).toBeDefined()
    expect(cache.find('k', 1, 1500)).toBeUndefined()
    expect(cache.size).toBe(0)
  })

  it('applies to the denied cost and larger ones only', () => {
    const cache = new BlockCache(10)
    cache.add('k', 5, 0, denied(100))
    expect(cache.find('k', 5, 10)).toBeDefined()
    expect(cache.find('k', 7.5, 10)).toBeDefined()
    expect(cache.find('k', 4, 10)).toBeUndefined()
    expect(cache.size).toBe(1)
  })

  it('replaces a block with the latest denial', () => {
    const cache = new BlockCache(10)
    cache.add('k', 5, 0, denied(1000))
    cache.add('k', 2, 100, denied(300))
    expect(cache.find('k', 2, 150)).toEqual({ cost: 2, until: 400, resetAt: 400, remaining: 0 })
    expect(cache.size).toBe(1)
  })

  it('ignores a denial without a retry time', () => {
    const cache = new BlockCache(10)
    cache.add('k', 1, 0, denied(0))
    expect(cache.size).toBe(0)
  })

  it('evicts the oldest block when full, so a flood cannot grow it', () => {
    const cache = new BlockCache(3)
    for (let i = 0; i < 1000; i++) cache.add(`flood:${i}`, 1, i, denied(60_000))
    expect(cache.size).toBe(3)
    expect(cache.find('flood:996', 1, 1000)).toBeUndefined()
    expect(cache.find('flood:997', 1, 1000)).toBeDefined()
    expect(cache.find('flood:999', 1, 1000)).toBeDefined()
  })

  it('renews a key in place without evicting another', () => {
    const cache = new BlockCache(2)
    cache.add('a', 1, 0, denied(100))
    cache.add('b', 1, 0, denied(100))
    cache.add('a', 1, 10, denied(100))
    expect(cache.size).toBe(2)
    expect(cache.find('b', 1, 20)).toBeDefined()
    cache.add('c', 1, 20, denied(100))
    expect(cache.find('b', 1, 20)).toBeUndefined()
    expect(cache.find('a', 1, 20)).toBeDefined()
  })

  it('forgets a key on delete', () => {
    const cache = new BlockCache(2)
    cache.add('a', 1, 0, denied(100))
    cache.delete('a')
    expect(cache.find('a', 1, 0)).toBeUndefined()
  })
})
