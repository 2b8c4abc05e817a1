import { SecConfigError } from '@sec/core'
import { Redis } from 'ioredis'
import { afterAll, describe, expect, it } from 'vitest'
import { redisStore } from './redis-store.js'

// A client that never connects: construction and argument checks need no server.
const client = new Redis({ lazyConnect: true })
afterAll(() => {
  client.disconnect()
})

function configError(build: () => unknown): SecConfigError {
  try {
    build()
  } catch (error) {
    expect(error).toBeInstanceOf(SecConfigError)
    return error as SecConfigError
  }
  throw new Error('Expected a SecConfigError.')
}

describe('redisStore options', () => {
  it('builds a store of kind redis with defaults, and with every option', () => {
    expect(redisStore(client).kind).toBe('redis')
    expect(redisStore(client, undefined).kind).toBe('redis')
    expect(redisStore(client, {}).kind).toBe('redis')
    expect(redisStore(client, { prefix: '', timeoutMs: 60_000 }).kind).toBe('redis')
    expect(redisStore(client, { prefix: 'app:rl:', timeoutMs: 0.5 }).kind).toBe('redis')
  })

  it('adds nothing to the client', () => {
    const before = Object.keys(client)
    redisStore(client)
    redisStore(client, { prefix: 'other:' })
    expect(Object.keys(client)).toEqual(before)
  })

  it.each([
    [{ prefx: 'sec:' }, 'redisStore.prefx', 'is not a known option'],
    [{ timeout: 100 }, 'redisStore.timeout', 'is not a known option'],
    [{ prefix: 7 }, 'redisStore.prefix', 'must be a string'],
    [{ prefix: 'app:{rl}:' }, 'redisStore.prefix', 'must not contain `{` or `}`'],
    [{ prefix: 'app}' }, 'redisStore.prefix', 'must not contain `{` or `}`'],
    [{ timeoutMs: 0 }, 'redisStore.timeoutMs', 'above 0 and at most 60000'],
    [{ timeoutMs: -5 }, 'redisStore.timeoutMs', 'above 0 and at most 60000'],
    [{ timeoutMs: Number.NaN }, 'redisStore.timeoutMs', 'got NaN'],
    [{ timeoutMs: Number.POSITIVE_INFINITY }, 'redisStore.timeoutMs', 'got Infinity'],
    [{ timeoutMs: 60_001 }, 'redisStore.timeoutMs', 'got 60001'],
    [{ timeoutMs: '100' }, 'redisStore.timeoutMs', 'got 100'],
    ['sec:', 'redisStore.options', 'must be an object'],
    [[], 'redisStore.options', 'must be an object'],
  ])('refuses %j at %s', (options, path, message) => {
    const error = configError(() => redisStore(client, options as never))
    expect(error.path).toBe(path)
    expect(error.code).toBe('SEC_CONFIG')
    expect(error.message).toContain(`${path}: `)
    expect(error.message).toContain(message)
  })

  it.each([
    ['nothing', undefined],
    ['null', null],
    ['a URL', 'redis://localhost:6379'],
    ['a plain object', {}],
    ['a node-redis client', { connect() {}, sendCommand() {}, isOpen: false, del() {} }],
  ])('refuses %s as the client', (_, value) => {
    const error = configError(() => redisStore(value as never))
    expect(error.path).toBe('redisStore.client')
    expect(error.message).toContain('must be an ioredis client')
  })
})

describe('redisStore arguments', () => {
  const store = redisStore(client)

  it.each([
    [{ algorithm: 'leaky-bucket', limit: 5, period: 1000 }, 'unknown algorithm "leaky-bucket"'],
    [{ algorithm: 'token-bucket', limit: 0, period: 1000 }, 'policy.limit must be above 0; got 0'],
    [{ algorithm: 'token-bucket', limit: Number.NaN, period: 1000 }, 'policy.limit must be above 0; got NaN'],
    [{ algorithm: 'fixed-window', limit: 5, period: 0 }, 'policy.period must be above 0'],
    [
      { algorithm: 'fixed-window', limit: 5, period: 2e15 },
      'at most 1000000000000000 ms; got 2000000000000000',
    ],
    [{ algorithm: 'sliding-log', limit: 1001, period: 1000 }, 'a whole number up to 1000; got 1001'],
    [{ algorithm: 'sliding-log', limit: 2.5, period: 1000 }, 'a whole number up to 1000; got 2.5'],
    [{ algorithm: 'fixed-window', limit: 1e16, period: 1000 }, 'at most 2^52; got 10000000000000000'],
  ])('refuses the policy %j without calling Redis', async (policy, message) => {
    await expect(store.decide(policy as never, 'key', 1)).rejects.toMatchObject({
      code: 'SEC_REDIS_ARGUMENT',
      message: expect.stringContaining(message),
    })
    expect(client.status).toBe('wait')
  })

  it.each([-1, Number.NaN, Number.NEGATIVE_INFINITY, 5.5, 1e308])(
    'refuses the cost %d without calling Redis',
    async (cost) => {
      await expect(
        store.decide({ algorithm: 'token-bucket', limit: 5, period: 1000 }, 'key', cost),
      ).rejects.toMatchObject({ code: 'SEC_REDIS_ARGUMENT', message: expect.stringContaining(`got ${cost}`) })
      expect(client.status).toBe('wait')
    },
  )
})
