import { describe, expect, it } from 'vitest'
import { redisRateLimitStore } from './redis-rate-limit-store.js'

describe('redisRateLimitStore', () => {
  it.each([undefined, ''])('gives no store for REDIS_URL %j', (url) => {
    expect(redisRateLimitStore(url)).toBeUndefined()
  })

  it('makes a Redis store, naming where it is without the credentials', () => {
    const shared = redisRateLimitStore('redis://demo:s3cret@127.0.0.1:1/2')
    try {
      expect(shared?.store.kind).toBe('redis')
      expect(shared?.where).toBe('127.0.0.1:1')
    } finally {
      shared?.close()
    }
  })

  it('accepts rediss:// (TLS)', () => {
    const shared = redisRateLimitStore('rediss://127.0.0.1:1')
    shared?.close()
    expect(shared?.where).toBe('127.0.0.1:1')
  })

  it.each(['http://127.0.0.1:6379', '127.0.0.1:6379', 'redis//:s3cret@host', 'unix:/tmp/redis.sock'])(
    'refuses REDIS_URL %j without repeating it',
    (url) => {
      let message = ''
      try {
        redisRateLimitStore(url)
      } catch (error) {
        message = (error as Error).message
      }
      expect(message).toBe('REDIS_URL must be a redis:// or rediss:// URL, such as redis://127.0.0.1:6379.')
    },
  )
})
