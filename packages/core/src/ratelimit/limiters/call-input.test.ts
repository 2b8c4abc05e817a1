import { describe, expect, it } from 'vitest'
import { callOptionsError, costError, isValidKey, keyError, maxKeyLength } from './call-input.js'
import { SecRateLimitError } from './ratelimit-error.js'

describe('isValidKey', () => {
  it.each([
    ['an IP key', '203.0.113.7'],
    ['an IPv6 network', '2001:db8:1:2::/64'],
    ['one character', 'a'],
    ['non-ASCII text', 'utilisateur:zoë'],
    ['CJK', '用户:42'],
    ['an emoji (a surrogate pair)', 'user:😀'],
    ['the longest key', 'k'.repeat(maxKeyLength)],
  ])('takes %s', (_, key) => {
    expect(isValidKey(key)).toBe(true)
  })

  it.each<[string, unknown]>([
    ['an empty string', ''],
    ['a key one unit too long', 'k'.repeat(maxKeyLength + 1)],
    ['a 10 KB key', 'k'.repeat(10_240)],
    ['a lone high surrogate', 'user:\ud800'],
    ['a lone low surrogate', '\udc00'],
    ['a number', 42],
    ['undefined', undefined],
    ['null', null],
  ])('refuses %s', (_, key) => {
    expect(isValidKey(key)).toBe(false)
  })
})

describe('keyError', () => {
  it.each<[string, unknown, string]>([
    [
      'an empty key',
      '',
      "Rate limiter 'api': the key is empty, which would put every caller in one bucket. Key by something that identifies the caller, such as ctx.client.ipKey or the user's id.",
    ],
    [
      'a long key',
      'x'.repeat(10_240),
      "Rate limiter 'api': the key is 10240 UTF-16 code units long; the most is 1024. Hash long keys (for example the SHA-256 of an API key, in hex) before limiting on them.",
    ],
    [
      'a lone surrogate',
      'x\ud800',
      "Rate limiter 'api': the key holds a lone surrogate (it is not well-formed Unicode), and stores that keep keys as UTF-8 would merge it with other keys. Call key.toWellFormed() or hash the key first.",
    ],
    [
      'a number',
      7,
      "Rate limiter 'api': the key must be a string; got number. Pass the client's IP key, user id or a hash of its API key.",
    ],
    [
      'null',
      null,
      "Rate limiter 'api': the key must be a string; got null. Pass the client's IP key, user id or a hash of its API key.",
    ],
  ])('explains %s', (_, key, message) => {
    const error = keyError('api', key)
    expect(error).toBeInstanceOf(SecRateLimitError)
    expect(error).toMatchObject({
      name: 'SecRateLimitError',
      code: 'SEC_RATELIMIT_KEY',
      limiter: 'api',
      message,
    })
  })

  it('never quotes the key', () => {
    const secret = `sk_live_${'s'.repeat(2000)}`
    expect(keyError('api', secret).message).not.toContain('sk_live')
  })
})

describe('costError', () => {
  it.each<[string, unknown, string]>([
    [
      'NaN',
      Number.NaN,
      'the cost must be a finite number greater than 0; got NaN. Leave it out for a cost of 1.',
    ],
    ['zero', 0, 'the cost must be a finite number greater than 0; got 0. Leave it out for a cost of 1.'],
    [
      'a negative cost',
      -1,
      'the cost must be a finite number greater than 0; got -1. Leave it out for a cost of 1.',
    ],
    [
      'Infinity',
      Number.POSITIVE_INFINITY,
      'the cost must be a finite number greater than 0; got Infinity. Leave it out for a cost of 1.',
    ],
    [
      'a cost above the limit',
      101,
      'the cost 101 is larger than the limit 100, so it could never be admitted. Split the work into smaller costs or raise the limit.',
    ],
    [
      'a fraction (only refused where costs are whole)',
      1.5,
      'a sliding log counts whole units; got the cost 1.5. Round it, or use tokenBucket() or slidingWindow() for fractional costs.',
    ],
    ['a string', '2', 'the cost must be a number; got string. Pass { cost: 1 } or leave it out.'],
  ])('explains %s', (_, cost, message) => {
    expect(costError('api', cost, 100)).toMatchObject({
      code: 'SEC_RATELIMIT_COST',
      limiter: 'api',
      message: `Rate limiter 'api': ${message}`,
    })
  })

  it('explains call options that are not an object', () => {
    expect(callOptionsError('api', 3)).toMatchObject({
      code: 'SEC_RATELIMIT_COST',
      message: "Rate limiter 'api': the call options must be an object such as { cost: 2 }; got number.",
    })
  })
})
