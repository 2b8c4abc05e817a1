import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createSecurity, type Guard, type GuardContext, type Principal } from '../../pipeline/index.js'
import { fromWebRequest } from '../../request/index.js'
import { fakeLimiter } from './fake-limiter.js'
import { type RateLimitKey, rateLimit } from './index.js'
import { sha256Prefix } from './limit-key.js'

interface KeyRequest {
  readonly ip?: string | undefined
  readonly headers?: Record<string, string>
  readonly principal?: Principal
  readonly trustProxy?: readonly string[]
}

/** Runs one request through a rateLimit guard keyed by `by` and returns the status and the key the limiter saw. */
async function keyFor(by: RateLimitKey, request: KeyRequest = {}, apiKeyHeader?: string) {
  const limiter = fakeLimiter('api', { limit: 100, period: 60_000 })
  const guards: Guard[] = []
  const principal = request.principal
  if (principal !== undefined)
    guards.push({
      name: 'auth',
      check(ctx) {
        ctx.principal = principal
      },
    })
  guards.push(rateLimit({ limiter, by, ...(apiKeyHeader !== undefined && { apiKeyHeader }) }))
  const security = createSecurity({
    guards,
    ...(request.trustProxy !== undefined && { trustProxy: request.trustProxy }),
  })
  const web = new Request('https://api.example.com/v1/notes', { headers: request.headers ?? {} })
  const outcome = await security.protect(
    fromWebRequest(web, request.ip === undefined ? {} : { remoteAddress: request.ip }),
  )
  return { status: outcome.response?.status ?? 200, key: limiter.calls[0]?.key }
}

const user = (id: string, kind = 'user'): Principal => ({ id, kind })

describe('rateLimit keys by IP', () => {
  it('keys IPv4 clients by address', async () => {
    expect(await keyFor('ip', { ip: '192.0.2.1' })).toEqual({ status: 200, key: 'ip:192.0.2.1' })
  })

  it('keys IPv6 clients by /64, so one network shares one bucket', async () => {
    const a = await keyFor('ip', { ip: '2001:db8:1:2:aaaa::1' })
    const b = await keyFor('ip', { ip: '2001:db8:1:2:ffff:ffff:ffff:ffff' })
    const other = await keyFor('ip', { ip: '2001:db8:1:3::1' })
    expect(a.key).toBe('ip:2001:db8:1:2::/64')
    expect(b.key).toBe(a.key)
    expect(other.key).toBe('ip:2001:db8:1:3::/64')
  })

  it('shares the limit of one /64 across its addresses', async () => {
    const limiter = fakeLimiter('api', { limit: 2, period: 60_000 })
    const security = createSecurity({ guards: [rateLimit({ limiter })] })
    const from = (remoteAddress: string) =>
      security.protect(fromWebRequest(new Request('https://api.example.com/'), { remoteAddress }))
    expect((await from('2001:db8::1')).response).toBeUndefined()
    expect((await from('2001:db8::2')).response).toBeUndefined()
    expect((await from('2001:db8::ffff')).response?.status).toBe(429)
    expect((await from('2001:db8:0:1::1')).response).toBeUndefined()
  })

  it('reads the client through trusted proxies only', async () => {
    const headers = { 'x-forwarded-for': '198.51.100.7' }
    expect((await keyFor('ip', { ip: '127.0.0.1', headers })).key).toBe('ip:127.0.0.1')
    expect((await keyFor('ip', { ip: '127.0.0.1', headers, trustProxy: ['loopback'] })).key).toBe(
      'ip:198.51.100.7',
    )
  })

  it('puts every client of unknown address in one bucket', async () => {
    expect(await keyFor('ip', { ip: undefined })).toEqual({ status: 200, key: 'ip:unknown' })
  })
})

describe('rateLimit keys by user', () => {
  it('keys an authenticated request by principal id', async () => {
    expect((await keyFor('user', { principal: user('u_1') })).key).toBe('user:u_1')
  })

  it('falls back to the IP without a principal or with an empty id', async () => {
    expect((await keyFor('user', { ip: '192.0.2.9' })).key).toBe('ip:192.0.2.9')
    expect((await keyFor('user', { ip: '192.0.2.9', principal: user('') })).key).toBe('ip:192.0.2.9')
  })

  it('cannot be confused with an IP key', async () => {
    expect((await keyFor('user', { ip: '192.0.2.9', principal: user('192.0.2.9') })).key).toBe(
      'user:192.0.2.9',
    )
  })

  it('keeps non-ASCII ids as they are', async () => {
    expect(await keyFor('user', { principal: user('ユーザー🙂') })).toEqual({
      status: 200,
      key: 'user:ユーザー🙂',
    })
  })

  it('hashes ids longer than 256 characters instead of failing', async () => {
    expect(await keyFor('user', { principal: user('x'.repeat(10_240)) })).toEqual({
      status: 200,
      key: 'user#04f8f86af2cd14ff',
    })
    expect((await keyFor('user', { principal: user('a'.repeat(256)) })).key).toBe(`user:${'a'.repeat(256)}`)
    expect((await keyFor('user', { principal: user('a'.repeat(257)) })).key).toBe('user#e8d95cc2b4bc198c')
  })

  it('hashes ids with a lone surrogate losslessly, which limiters would refuse as keys', async () => {
    expect(await keyFor('user', { principal: user('u\ud800') })).toEqual({
      status: 200,
      key: 'user#11da1b7295b1fedd',
    })
    expect((await keyFor('user', { principal: user('u\udc00') })).key).toBe('user#0b3cbbb5c953d554')
    expect((await keyFor('user', { principal: user('u\ufffd') })).key).toBe('user:u\ufffd')
  })

  it('never answers 500 and never hands a limiter a key past 261 characters, whatever the id', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 2_000 }),
          fc.string({ unit: 'grapheme-composite' }),
          fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)) }),
        ),
        async (id) => {
          const { status, key } = await keyFor('user', { ip: '192.0.2.1', principal: user(id) })
          expect(status).toBe(200)
          expect(key?.length).toBeLessThanOrEqual(261)
          expect(key).not.toMatch(/\p{Cs}/u)
        },
      ),
      { numRuns: 200 },
    )
  })
})

describe('rateLimit keys by API key', () => {
  it('hashes the raw key from x-api-key: never stored raw', async () => {
    const { key } = await keyFor('api-key', { headers: { 'x-api-key': 'sk_test_4eC39HqLyjWDarjtT1zdp7dc' } })
    expect(key).toBe('key:2cafc0970149a84f')
  })

  it('reads the header named by apiKeyHeader', async () => {
    const headers = { 'x-client-key': 'sk_test_4eC39HqLyjWDarjtT1zdp7dc', 'x-api-key': 'other' }
    expect((await keyFor('api-key', { headers }, 'X-Client-Key')).key).toBe('key:2cafc0970149a84f')
  })

  it("prefers an API-key principal's id, hashed in its own namespace", async () => {
    const { key } = await keyFor('api-key', {
      principal: user('acct_42', 'api-key'),
      headers: { 'x-api-key': 'sk_test_4eC39HqLyjWDarjtT1zdp7dc' },
    })
    expect(key).toBe('key-id:592f2119697cff2f')
  })

  it('cannot reach the bucket of a principal id by sending that id as a raw key', async () => {
    const asPrincipal = await keyFor('api-key', { principal: user('acct_42', 'api-key') })
    const asRawKey = await keyFor('api-key', { headers: { 'x-api-key': 'acct_42' } })
    expect(asPrincipal.key).not.toBe(asRawKey.key)
  })

  it('ignores principals of another kind, and falls back to the IP without a key', async () => {
    expect((await keyFor('api-key', { ip: '192.0.2.5', principal: user('u_1') })).key).toBe('ip:192.0.2.5')
    expect((await keyFor('api-key', { ip: '192.0.2.5', headers: { 'x-api-key': '' } })).key).toBe(
      'ip:192.0.2.5',
    )
  })

  it('hashes huge and non-ASCII keys like any other', async () => {
    const huge = await keyFor('api-key', { headers: { 'x-api-key': 'x'.repeat(10_240) } })
    expect(huge).toEqual({ status: 200, key: 'key:04f8f86af2cd14ff' })
    const latin1 = await keyFor('api-key', { headers: { 'x-api-key': 'clé' } })
    expect(latin1.status).toBe(200)
    expect(latin1.key).toMatch(/^key:[0-9a-f]{16}$/)
  })
})

describe('rateLimit keys from a function', () => {
  const tenant = (ctx: GuardContext) => ctx.request.headers.get('x-tenant') ?? undefined

  it('namespaces the returned key', async () => {
    expect((await keyFor(tenant, { headers: { 'x-tenant': 'tenant-7' } })).key).toBe('custom:tenant-7')
  })

  it('cannot name the bucket of an IP or a user', async () => {
    expect((await keyFor(tenant, { headers: { 'x-tenant': 'ip:192.0.2.1' } })).key).toBe(
      'custom:ip:192.0.2.1',
    )
  })

  it('falls back to the IP for undefined or an empty string', async () => {
    expect((await keyFor(tenant, { ip: '192.0.2.3' })).key).toBe('ip:192.0.2.3')
    expect((await keyFor(() => '', { ip: '192.0.2.3' })).key).toBe('ip:192.0.2.3')
  })

  it('hashes long keys', async () => {
    expect((await keyFor(() => 'x'.repeat(10_240))).key).toBe('custom#04f8f86af2cd14ff')
  })

  it('treats a non-string key as a bug: a 500 that does not reach the limiter', async () => {
    expect(await keyFor((() => 42) as unknown as RateLimitKey)).toEqual({ status: 500, key: undefined })
  })
})

describe('sha256Prefix', () => {
  it('is the first 16 hex digits of the SHA-256 of the UTF-8 bytes', async () => {
    expect(await sha256Prefix('')).toBe('e3b0c44298fc1c14')
    expect(await sha256Prefix('ユーザー🙂')).toBe('f0a03826a00a35e9')
  })
})
