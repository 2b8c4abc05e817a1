import { fromWebRequest, memoryStore, type RateLimitStore } from '@sec/core'
import { describe, expect, it } from 'vitest'
import { createNotesDemo, type NotesDemo, type NotesDemoOptions } from '../demo/index.js'
import { tokenFor } from '../demo/notes-demo.fixture.js'
import type { DemoEvent } from '../identity/index.js'

/** A request that reached the demo over HTTPS from `ip`, as a TLS-terminating server would pass it. */
function from(ip: string, path: string, init: RequestInit = {}) {
  return fromWebRequest(new Request(`https://localhost:3001${path}`, init), {
    remoteAddress: ip,
    encrypted: true,
  })
}

function manualClock(start = 1_000_000) {
  let now = start
  return {
    clock: { now: () => now },
    advance(ms: number) {
      now += ms
    },
  }
}

function limitHeaders(headers: Headers | undefined) {
  const names = [
    'ratelimit-policy',
    'ratelimit',
    'x-ratelimit-limit',
    'x-ratelimit-remaining',
    'x-ratelimit-reset',
  ]
  return Object.fromEntries(names.map((name) => [name, headers?.get(name) ?? null]))
}

async function searcher(demo: NotesDemo) {
  const authorization = `Bearer ${await tokenFor(demo, 'alice')}`
  return (ip: string, q = 'x') =>
    demo.security.protect(from(ip, `/v1/search?q=${q}`, { headers: { authorization } }), {
      guards: demo.routes.search,
    })
}

async function setUp(options: NotesDemoOptions = {}) {
  const time = manualClock()
  const demo = createNotesDemo({ clock: time.clock, passwordCost: 1024, ...options })
  const notes = (ip: string, path = '/v1/notes') => demo.security.protect(from(ip, path))
  return { demo, security: demo.security, time, notes, search: await searcher(demo) }
}

const tooManyRequests = {
  detail: 'Too many requests. Wait for the number of seconds in Retry-After before retrying.',
  type: 'urn:sec:problem:rate-limited',
  title: 'Too Many Requests',
  status: 429,
}

describe('the demo rate limits', () => {
  it('allow a client 60 requests, then one a second, with the headers on every response', async () => {
    const { notes, time } = await setUp()
    const first = await notes('198.51.100.1')
    expect(first.response).toBeUndefined()
    expect(limitHeaders(first.headers)).toEqual({
      'ratelimit-policy': '"api";q=60;w=60',
      ratelimit: '"api";r=59;t=1',
      'x-ratelimit-limit': '60',
      'x-ratelimit-remaining': '59',
      'x-ratelimit-reset': '1',
    })
    for (let i = 2; i <= 60; i++) expect((await notes('198.51.100.1')).response).toBeUndefined()

    const refused = await notes('198.51.100.1')
    expect(refused.response?.status).toBe(429)
    expect(refused.response?.body).toBe(JSON.stringify(tooManyRequests))
    expect(refused.response?.headers.get('retry-after')).toBe('1')
    expect(limitHeaders(refused.response?.headers)).toEqual({
      'ratelimit-policy': '"api";q=60;w=60',
      ratelimit: '"api";r=0;t=1',
      'x-ratelimit-limit': '60',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': '1',
    })

    time.advance(999)
    expect((await notes('198.51.100.1')).response?.status).toBe(429)
    time.advance(1)
    const refilled = await notes('198.51.100.1')
    expect(refilled.response).toBeUndefined()
    expect(limitHeaders(refilled.headers).ratelimit).toBe('"api";r=0;t=60')
  })

  it('count each client IP apart', async () => {
    const { notes } = await setUp()
    for (let i = 1; i <= 60; i++) await notes('198.51.100.1')
    expect((await notes('198.51.100.1')).response?.status).toBe(429)
    const other = await notes('198.51.100.2')
    expect(other.response).toBeUndefined()
    expect(other.headers.get('ratelimit')).toBe('"api";r=59;t=1')
  })

  it('count an IPv6 client by its /64 network', async () => {
    const { notes } = await setUp()
    await notes('2001:db8:1:2::1')
    expect((await notes('2001:db8:1:2::ffff')).headers.get('ratelimit')).toBe('"api";r=58;t=2')
    expect((await notes('2001:db8:1:3::1')).headers.get('ratelimit')).toBe('"api";r=59;t=1')
  })

  it('leave /health alone, even for a client that is refused everywhere else', async () => {
    const { notes, security } = await setUp()
    for (let i = 1; i <= 60; i++) await notes('198.51.100.1')
    expect((await notes('198.51.100.1')).response?.status).toBe(429)
    const health = await security.protect(from('198.51.100.1', '/health?probe=1'))
    expect(health.response).toBeUndefined()
    expect(limitHeaders(health.headers)).toEqual({
      'ratelimit-policy': null,
      ratelimit: null,
      'x-ratelimit-limit': null,
      'x-ratelimit-remaining': null,
      'x-ratelimit-reset': null,
    })
  })

  it.each(['/v1/nothing', '/V1/NOTES', '/%761/notes', '/HEALTH', '/health/', '/'])(
    'count %s, which is not exactly /health',
    async (path) => {
      const { notes } = await setUp()
      expect((await notes('198.51.100.1', path)).headers.get('ratelimit')).toBe('"api";r=59;t=1')
    },
  )

  it('count requests that a later check refuses, but not CORS preflights', async () => {
    const { notes, security } = await setUp()
    const refused = await notes('198.51.100.1', '/v1/notes?access_token=abc')
    expect(refused.response?.status).toBe(400)
    expect(refused.response?.headers.get('ratelimit')).toBe('"api";r=59;t=1')
    const preflight = await security.protect(
      from('198.51.100.1', '/v1/notes', {
        method: 'OPTIONS',
        headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST' },
      }),
    )
    expect(preflight.response?.status).toBe(204)
    expect(preflight.response?.headers.get('ratelimit')).toBeNull()
    expect((await notes('198.51.100.1')).headers.get('ratelimit')).toBe('"api";r=58;t=2')
  })

  it('allow 10 searches, then one every 6 s, reporting both limits', async () => {
    const { search, notes, time } = await setUp()
    const first = await search('198.51.100.1')
    expect(first.response).toBeUndefined()
    expect(limitHeaders(first.headers)).toEqual({
      'ratelimit-policy': '"api-user";q=300;w=60, "search";q=10;w=60',
      ratelimit: '"api-user";r=299;t=1, "search";r=9;t=6',
      'x-ratelimit-limit': '10',
      'x-ratelimit-remaining': '9',
      'x-ratelimit-reset': '6',
    })
    for (let i = 2; i <= 10; i++) expect((await search('198.51.100.1')).response).toBeUndefined()

    const refused = await search('198.51.100.1')
    expect(refused.response?.status).toBe(429)
    expect(refused.response?.body).toBe(JSON.stringify(tooManyRequests))
    expect(refused.response?.headers.get('retry-after')).toBe('6')
    expect(limitHeaders(refused.response?.headers)).toEqual({
      'ratelimit-policy': '"api-user";q=300;w=60, "search";q=10;w=60',
      ratelimit: '"api-user";r=289;t=3, "search";r=0;t=6',
      'x-ratelimit-limit': '10',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': '6',
    })

    // The other routes still answer: the search limit is the search route's own.
    expect((await notes('198.51.100.1')).response).toBeUndefined()
    time.advance(5_999)
    expect((await search('198.51.100.1')).response?.status).toBe(429)
    time.advance(1)
    expect((await search('198.51.100.1')).response).toBeUndefined()
  })

  it('count a malformed search against the search limit before validating it', async () => {
    const { search } = await setUp()
    const refused = await search('198.51.100.1', '')
    expect(refused.response?.status).toBe(400)
    expect(refused.response?.headers.get('ratelimit')).toBe('"api-user";r=299;t=1, "search";r=9;t=6')
  })

  it('give every call limiters of its own', async () => {
    const first = await setUp()
    const second = await setUp()
    for (let i = 1; i <= 10; i++) await first.search('198.51.100.1')
    expect((await first.search('198.51.100.1')).response?.status).toBe(429)
    expect((await second.search('198.51.100.1')).response).toBeUndefined()
  })

  it('share the counts of every demo given the same store, as processes sharing a Redis do', async () => {
    const time = manualClock()
    const rateLimitStore = memoryStore({ clock: time.clock })
    const options = { clock: time.clock, rateLimitStore, passwordCost: 1024 }
    const first = await searcher(createNotesDemo(options))
    const second = await searcher(createNotesDemo(options))
    for (let i = 1; i <= 5; i++) await first('198.51.100.1')
    for (let i = 1; i <= 5; i++) await second('198.51.100.1')
    const refused = await first('198.51.100.1')
    expect(refused.response?.status).toBe(429)
    expect(refused.response?.headers.get('ratelimit')).toBe('"api-user";r=289;t=3, "search";r=0;t=6')
  })

  it('limit with each demo memory while the shared store is down, and report it', async () => {
    const events: DemoEvent[] = []
    const down: RateLimitStore = {
      kind: 'redis',
      decide: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6379')),
      reset: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6379')),
    }
    const { search } = await setUp({ rateLimitStore: down, events: (event) => events.push(event) })
    const first = await search('198.51.100.1')
    expect(first.response).toBeUndefined()
    expect(first.headers.get('ratelimit')).toBe('"api-user";r=299;t=1, "search";r=9;t=6')
    for (let i = 2; i <= 10; i++) expect((await search('198.51.100.1')).response).toBeUndefined()
    expect((await search('198.51.100.1')).response?.status).toBe(429)
    expect(events.filter((event) => event.type === 'ratelimit.store-unavailable')).toEqual([
      expect.objectContaining({ limiter: 'api-user', store: 'redis', fallback: 'insurance' }),
      expect.objectContaining({ limiter: 'search', store: 'redis', fallback: 'insurance' }),
    ])
  })

  it('allow an authenticated user 300 requests a minute, wherever they come from', async () => {
    const { demo, notes: anonymous } = await setUp()
    const authorization = `Bearer ${await tokenFor(demo, 'bob')}`
    const notes = (ip: string) =>
      demo.security.protect(from(ip, '/v1/notes', { headers: { authorization } }), {
        guards: demo.routes.listNotes,
      })
    for (let i = 1; i <= 300; i++) expect((await notes(`198.51.100.${i % 200}`)).response).toBeUndefined()
    const refused = await notes('203.0.113.1')
    expect(refused.response?.status).toBe(429)
    expect(limitHeaders(refused.response?.headers)).toEqual({
      'ratelimit-policy': '"api-user";q=300;w=60',
      ratelimit: '"api-user";r=0;t=1',
      'x-ratelimit-limit': '300',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': '1',
    })
    // Bob's limit is his own: the address he used is not limited for anyone else.
    expect((await anonymous('203.0.113.1')).headers.get('ratelimit')).toBe('"api";r=59;t=1')
  })
})
