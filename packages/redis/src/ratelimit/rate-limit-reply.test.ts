import { describe, expect, it } from 'vitest'
import { replyDecoder } from './rate-limit-reply.js'

const tokenBucket = { algorithm: 'token-bucket', limit: 10, period: 1000 } as const
const fixedWindow = { algorithm: 'fixed-window', limit: 10, period: 1000 } as const
// floor(2 * period) + 3
const radix = 2003

describe('replyDecoder', () => {
  it('reads an admission packed in one integer, also as text from a stringNumbers client', () => {
    const decode = replyDecoder(tokenBucket)
    const admitted = { allowed: true, remaining: 7, reset: 300, retryAfter: 0 }
    expect(decode(7 * radix + 300, 1)).toEqual(admitted)
    expect(decode(String(7 * radix + 300), 1)).toEqual(admitted)
  })

  it('reads a denial from its text form', () => {
    expect(replyDecoder(tokenBucket)('0 0 1000 100', 1)).toEqual({
      allowed: false,
      remaining: 0,
      reset: 1000,
      retryAfter: 100,
    })
  })

  it('decides a fixed window from the count before the decision and the wait', () => {
    const decode = replyDecoder(fixedWindow)
    expect(decode(4 * radix + 250, 3)).toEqual({ allowed: true, remaining: 3, reset: 250, retryAfter: 0 })
    expect(decode(9 * radix + 250, 2)).toEqual({ allowed: false, remaining: 1, reset: 250, retryAfter: 250 })
    expect(decode(0 * radix + 250, 0)).toEqual({ allowed: true, remaining: 10, reset: 0, retryAfter: 0 })
    expect(decode('9.5 250', 0.5)).toEqual({ allowed: true, remaining: 0, reset: 250, retryAfter: 0 })
  })

  it('refuses a reply of another shape with SEC_REDIS_REPLY', () => {
    for (const reply of [-1, 2 ** 53, 1.5, null, ['1'], '1 2', '1 -2 3 4', 'a b c d']) {
      expect(() => replyDecoder(tokenBucket)(reply, 1), String(reply)).toThrow(
        expect.objectContaining({ code: 'SEC_REDIS_REPLY' }),
      )
    }
    for (const reply of [-1, 1.5, '1 2 3', 'x y']) {
      expect(() => replyDecoder(fixedWindow)(reply, 1), String(reply)).toThrow(
        expect.objectContaining({ code: 'SEC_REDIS_REPLY' }),
      )
    }
  })
})
