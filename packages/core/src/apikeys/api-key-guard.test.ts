import fc from 'fast-check'
import { describe, expect, it, vi } from 'vitest'
import type { SecurityEvent } from '../events/index.js'
import { createSecurity, type Guard } from '../pipeline/index.js'
import { fromWebRequest } from '../request/index.js'
import { apiKey } from './api-key-guard.js'
import type { ApiKeyStore } from './api-key-store.js'
import { createApiKeys } from './api-keys.js'
import { memoryApiKeyStore } from './memory-api-key-store.js'

const now = 1_700_000_000_000

function setup() {
  const clock = {
    t: now,
    now() {
      return this.t
    },
  }
  const store = memoryApiKeyStore({ clock })
  const keys = createApiKeys({
    store,
    environment: 'live',
    clock,
    pepper: 'a-32-byte-pepper-for-tests-only!',
  })
  return { clock, store, keys }
}

async function protect(guard: Guard, headers: Record<string, string> = {}, target = '/v1/notes') {
  const request = fromWebRequest(new Request(`https://api.example.com${target}`, { headers }))
  return createSecurity({ guards: [guard] }).protect(request)
}

function answer(outcome: Awaited<ReturnType<typeof protect>>) {
  const response = outcome.response
  return response === undefined
    ? undefined
    : { status: response.status, headers: Object.fromEntries(response.headers), body: response.body }
}

const problemHeaders = { 'cache-control': 'no-store', 'content-type': 'application/problem+json' }
const unauthorized = (detail: string) =>
  JSON.stringify({ detail, type: 'urn:sec:problem:unauthorized', title: 'Unauthorized', status: 401 })
const invalidKey = {
  status: 401,
  headers: {
    ...problemHeaders,
    'www-authenticate': 'ApiKey realm="api", header="X-API-Key", error="invalid_token"',
  },
  body: unauthorized('The API key is not valid.'),
}

describe('apiKey guard', () => {
  it('authenticates a valid key from X-API-Key and sets the principal', async () => {
    const { keys } = setup()
    const { key, metadata } = await keys.issue({ owner: 'acct_1', scopes: ['notes:read', 'notes:write'] })
    const outcome = await protect(apiKey({ keys, scopes: ['notes:write'] }), { 'x-api-key': key })
    expect(outcome.verdict).toBe('allow')
    expect(outcome.response).toBeUndefined()
    expect(outcome.principal).toEqual({
      id: 'acct_1',
      kind: 'api-key',
      scopes: ['notes:read', 'notes:write'],
      keyId: metadata.id,
      environment: 'live',
    })
  })

  it('answers 401 with a challenge when the key is missing', async () => {
    const { keys } = setup()
    const outcome = await protect(apiKey({ keys }))
    expect(outcome.verdict).toBe('challenge')
    expect(outcome.reason).toBe('unauthorized')
    expect(answer(outcome)).toEqual({
      status: 401,
      headers: { ...problemHeaders, 'www-authenticate': 'ApiKey realm="api", header="X-API-Key"' },
      body: unauthorized('An API key is required in the X-API-Key header.'),
    })
  })

  it('refuses a mistyped key before any store lookup, and never echoes it', async () => {
    const { keys, store } = setup()
    const { key } = await keys.issue({ owner: 'acct_1' })
    const findById = vi.spyOn(store, 'findById')
    const typo = `${key.slice(0, 25)}${key[25] === 'x' ? 'y' : 'x'}${key.slice(26)}`
    const outcome = await protect(apiKey({ keys }), { 'x-api-key': typo })
    expect(answer(outcome)).toEqual(invalidKey)
    expect(findById).not.toHaveBeenCalled()
    expect(outcome.response?.body).not.toContain(typo.slice(8, 20))
  })

  it('gives the same 401 for unknown, revoked, expired and other-environment keys', async () => {
    const { keys, clock, store } = setup()
    const foreign = (await setup().keys.issue({ owner: 'acct_1' })).key
    const revoked = await keys.issue({ owner: 'acct_1' })
    await keys.revoke(revoked.metadata.id)
    const expiring = await keys.issue({ owner: 'acct_1', expiresIn: '1h' })
    const testKey = (await createApiKeys({ store, environment: 'test' }).issue({ owner: 'acct_1' })).key
    clock.t += 3_600_000
    for (const key of [foreign, revoked.key, expiring.key, testKey]) {
      const outcome = await protect(apiKey({ keys }), { 'x-api-key': key })
      expect(answer(outcome)).toEqual(invalidKey)
      expect(outcome.principal).toBeUndefined()
    }
  })

  it('emits auth.rejected with the reason and key id, never the key, and nothing for a missing key', async () => {
    const { keys, clock } = setup()
    const revoked = await keys.issue({ owner: 'acct_1' })
    await keys.revoke(revoked.metadata.id)
    const publishable = await keys.issue({ owner: 'acct_1', kind: 'publishable' })
    const valid = await keys.issue({ owner: 'acct_1' })
    const events: SecurityEvent[] = []
    const security = createSecurity({
      guards: [apiKey({ keys })],
      clock,
      events: (event) => void events.push(event),
    })
    const send = (headers: Record<string, string>, target = '/v1/notes') =>
      security.protect(fromWebRequest(new Request(`https://api.example.com${target}`, { headers })))
    const mistyped = `${valid.key.slice(0, -1)}${valid.key.endsWith('A') ? 'B' : 'A'}`
    await send({ 'x-api-key': revoked.key })
    await send({ 'x-api-key': publishable.key })
    await send({ 'x-api-key': 'not-a-key' })
    await send({ 'x-api-key': mistyped })
    await send({}, `/v1/notes?api_key=${valid.key}`)
    await send({})
    await send({ 'x-api-key': valid.key })
    expect(
      events.map((event) => [event.type, 'reason' in event && event.reason, 'keyId' in event && event.keyId]),
    ).toEqual([
      ['auth.rejected', 'revoked', revoked.metadata.id],
      ['auth.rejected', 'kind', publishable.metadata.id],
      ['auth.rejected', 'malformed', undefined],
      ['auth.rejected', 'malformed', undefined],
      ['auth.rejected', 'in-url', undefined],
    ])
    expect(events[0]).toMatchObject({ scheme: 'api-key', time: now, method: 'GET', path: '/v1/notes' })
    for (const key of [revoked.key, publishable.key, valid.key])
      expect(JSON.stringify(events)).not.toContain(key.slice(20))
  })

  it('refuses publishable keys unless the route accepts them', async () => {
    const { keys } = setup()
    const { key } = await keys.issue({ owner: 'acct_1', kind: 'publishable' })
    expect(answer(await protect(apiKey({ keys }), { 'x-api-key': key }))).toEqual(invalidKey)
    const outcome = await protect(apiKey({ keys, kinds: ['publishable'] }), { 'x-api-key': key })
    expect(outcome.verdict).toBe('allow')
  })

  it('answers 403 insufficient_scope when a required scope is missing', async () => {
    const { keys } = setup()
    const { key } = await keys.issue({ owner: 'acct_1', scopes: ['notes:read'] })
    const outcome = await protect(apiKey({ keys, scopes: ['notes:read', 'notes:write'] }), {
      'x-api-key': key,
    })
    expect(answer(outcome)).toEqual({
      status: 403,
      headers: {
        ...problemHeaders,
        'www-authenticate':
          'ApiKey realm="api", header="X-API-Key", error="insufficient_scope", scope="notes:read notes:write"',
      },
      body: JSON.stringify({
        detail: 'The API key lacks a scope this request needs.',
        type: 'urn:sec:problem:insufficient-scope',
        title: 'Insufficient Scope',
        status: 403,
      }),
    })
    expect(outcome.principal).toBeUndefined()
  })

  it('refuses a key in the query string with a 400, even next to a valid header', async () => {
    const { keys } = setup()
    const { key } = await keys.issue({ owner: 'acct_1' })
    const expected = {
      status: 400,
      headers: {
        ...problemHeaders,
        'www-authenticate': 'ApiKey realm="api", header="X-API-Key", error="invalid_request"',
      },
      body: JSON.stringify({
        detail:
          'API keys are accepted in the X-API-Key header only, never in the URL. A key sent in a URL may be logged: rotate it.',
        type: 'urn:sec:problem:invalid-request',
        title: 'Invalid Request',
        status: 400,
      }),
    }
    for (const target of [
      `/v1/notes?api_key=${key}`,
      `/v1/notes?q=${key}`,
      '/v1/notes?apikey=x',
      '/v1/notes?x=sk_test_1',
    ]) {
      const outcome = await protect(apiKey({ keys }), { 'x-api-key': key }, target)
      expect(answer(outcome)).toEqual(expected)
      expect(outcome.response?.body).not.toContain(key)
    }
    expect((await protect(apiKey({ keys }), { 'x-api-key': key }, '/v1/notes?page=2&api_key=')).verdict).toBe(
      'allow',
    )
  })

  it('reads Authorization: Bearer when configured, with RFC 6750 challenges', async () => {
    const { keys } = setup()
    const { key } = await keys.issue({ owner: 'acct_1' })
    const guard = apiKey({ keys, header: 'Authorization', realm: 'notes' })
    expect((await protect(guard, { authorization: `Bearer ${key}` })).principal?.id).toBe('acct_1')
    expect((await protect(guard, { authorization: `bearer  ${key}` })).principal?.id).toBe('acct_1')
    expect(answer(await protect(guard, { authorization: `Basic ${btoa('a:b')}` }))).toEqual({
      status: 401,
      headers: { ...problemHeaders, 'www-authenticate': 'Bearer realm="notes"' },
      body: unauthorized('An API key is required in the Authorization header as a Bearer token.'),
    })
    expect(answer(await protect(guard, { authorization: 'Bearer eyJhbGciOiJub25lIn0.e30.' }))).toEqual({
      status: 401,
      headers: { ...problemHeaders, 'www-authenticate': 'Bearer realm="notes", error="invalid_token"' },
      body: unauthorized('The API key is not valid.'),
    })
    expect((await protect(guard, { 'x-api-key': key })).verdict).toBe('challenge')
  })

  it('with optional, lets requests without a key through and leaves other bearer tokens to later guards', async () => {
    const { keys } = setup()
    const { key } = await keys.issue({ owner: 'acct_1' })
    const guard = apiKey({ keys, optional: true })
    const anonymous = await protect(guard)
    expect(anonymous.verdict).toBe('allow')
    expect(anonymous.principal).toBeUndefined()
    expect(answer(await protect(guard, { 'x-api-key': `${key.slice(0, -1)}!` }))).toEqual(invalidKey)
    const bearer = apiKey({ keys, optional: true, header: 'authorization' })
    const jwt = await protect(bearer, { authorization: 'Bearer eyJhbGciOiJFUzI1NiJ9.e30.c2ln' })
    expect(jwt.verdict).toBe('allow')
    expect(jwt.principal).toBeUndefined()
    expect((await protect(bearer, { authorization: `Bearer ${key.slice(0, -1)}0` })).verdict).toBe(
      'challenge',
    )
  })

  it('refuses duplicated headers, which arrive joined', async () => {
    const { keys } = setup()
    const { key } = await keys.issue({ owner: 'acct_1' })
    const headers = new Headers()
    headers.append('x-api-key', key)
    headers.append('x-api-key', key)
    const request = fromWebRequest(new Request('https://api.example.com/v1/notes', { headers }))
    const outcome = await createSecurity({ guards: [apiKey({ keys })] }).protect(request)
    expect(answer(outcome)).toEqual(invalidKey)
  })

  it('answers any header value with a 401, never a 500, and never echoes it', async () => {
    const { keys } = setup()
    const guard = apiKey({ keys })
    await fc.assert(
      fc.asyncProperty(
        fc
          .string({ minLength: 1, maxLength: 80 })
          .filter((s) => /^[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?$/.test(s)),
        async (value) => {
          const outcome = await protect(guard, { 'x-api-key': value })
          expect(answer(outcome)).toEqual(invalidKey)
        },
      ),
      { numRuns: 200 },
    )
  })

  it('answers 503 with Retry-After and an auth.unavailable event when the store fails, without detail', async () => {
    const failure = new Error('db down at 10.0.0.5')
    const store: ApiKeyStore = {
      ...memoryApiKeyStore(),
      findById: async () => {
        throw failure
      },
    }
    const keys = createApiKeys({ store, environment: 'live' })
    const { key } = await createApiKeys({ store: memoryApiKeyStore(), environment: 'live' }).issue({
      owner: 'a',
    })
    const events: SecurityEvent[] = []
    const security = createSecurity({
      guards: [apiKey({ keys })],
      events: (event) => void events.push(event),
    })
    const outcome = await security.protect(
      fromWebRequest(new Request('https://api.example.com/v1/notes', { headers: { 'x-api-key': key } })),
    )
    expect(answer(outcome)).toEqual({
      status: 503,
      headers: { ...problemHeaders, 'retry-after': '5' },
      body: JSON.stringify({
        detail: 'The API key cannot be checked right now. Retry later.',
        type: 'urn:sec:problem:auth-unavailable',
        title: 'Authentication Unavailable',
        status: 503,
      }),
    })
    expect(events).toMatchObject([{ type: 'auth.unavailable', scheme: 'api-key', error: failure }])
  })
})

describe('apiKey options', () => {
  const { keys } = setup()

  it('refuses bad options, naming them', () => {
    expect(() => apiKey({} as never)).toThrow(
      'apiKey.keys: is required: pass the manager from createApiKeys({ store, environment }).',
    )
    expect(() => apiKey({ keys: {} } as never)).toThrow(
      'apiKey.keys: Expected the manager from createApiKeys({ ... }).',
    )
    expect(() => apiKey({ keys, header: 'X API Key' })).toThrow(
      'apiKey.header: Expected a header name such as X-API-Key.',
    )
    expect(() => apiKey({ keys, scopes: ['a b'] })).toThrow(
      'apiKey.scopes[0]: Expected a scope token such as notes:read.',
    )
    expect(() => apiKey({ keys, kinds: [] })).toThrow(
      "apiKey.kinds: is empty. List the kinds accepted, e.g. ['secret'].",
    )
    expect(() => apiKey({ keys, realm: 'a"b' })).toThrow(/^apiKey\.realm: /)
    expect(() => apiKey({ keys, query: true } as never)).toThrow(
      'apiKey.query: is not a known option. Remove it or check its spelling against the documentation.',
    )
  })
})
