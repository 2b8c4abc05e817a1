import { createSigner, createWebhookSigner, fromWebRequest } from '@sec/core'
import { describeWithRedis, type RedisTestServer, startRedisServer } from '@sec/testkit'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { NotesDemo } from '../demo/index.js'
import { loginBody, send, tokenFor } from '../demo/notes-demo.fixture.js'
import { demoMachineClients, demoSigV4Naming, demoSigV4Scope, demoWebhookSecret } from '../signing/index.js'
import { createNotesDemoFromEnv } from './notes-demo-from-env.js'

async function search(demo: NotesDemo, ip = '198.51.100.1') {
  const authorization = `Bearer ${await tokenFor(demo, 'alice')}`
  const request = fromWebRequest(
    new Request('https://localhost:3001/v1/search?q=x', { headers: { authorization } }),
    {
      remoteAddress: ip,
      encrypted: true,
    },
  )
  return demo.security.protect(request, { guards: demo.routes.search })
}

describe('createNotesDemoFromEnv', () => {
  it('counts the limits in memory without REDIS_URL, with fresh limiters every time', async () => {
    const first = createNotesDemoFromEnv({})
    const second = createNotesDemoFromEnv({ REDIS_URL: '' })
    expect([first.sharedLimits, second.sharedLimits]).toEqual([undefined, undefined])
    for (let i = 1; i <= 10; i++) await search(first.demo)
    expect((await search(first.demo)).response?.status).toBe(429)
    expect((await search(second.demo)).response).toBeUndefined()
    first.close()
    second.close()
  })

  it('counts them on the Redis of REDIS_URL, and in memory while it cannot be reached, saying so', async () => {
    const lines: string[] = []
    const fromEnv = createNotesDemoFromEnv({ REDIS_URL: 'redis://127.0.0.1:1' }, (line) => lines.push(line))
    try {
      expect(fromEnv.sharedLimits).toBe('127.0.0.1:1')
      for (let i = 1; i <= 10; i++) expect((await search(fromEnv.demo)).response).toBeUndefined()
      const refused = await search(fromEnv.demo)
      expect(refused.response?.status).toBe(429)
      expect(refused.response?.headers.get('retry-after')).toBe('6')
      expect(lines).toEqual([
        expect.stringMatching(
          /^Rate limiter "api-user": the redis store is unavailable(: .+)?; limiting with this process's memory until it is back\.$/,
        ),
        expect.stringMatching(
          /^Rate limiter "search": the redis store is unavailable(: .+)?; limiting with this process's memory until it is back\.$/,
        ),
      ])
    } finally {
      fromEnv.close()
    }
  })

  it('logs failed sign-ins through log, with or without REDIS_URL', async () => {
    const lines: string[] = []
    const fromEnv = createNotesDemoFromEnv({}, (line) => lines.push(line))
    const { demo } = fromEnv
    const outcome = await send(demo, '/v1/auth/token', {
      ...loginBody('nobody', 'guess'),
      guards: demo.routes.token,
    })
    expect(outcome.response?.status).toBe(401)
    expect(lines).toEqual(['Sign-in failed for "nobody" from 198.51.100.1: unknown-account.'])
    fromEnv.close()
  })

  it('refuses a malformed REDIS_URL', () => {
    expect(() => createNotesDemoFromEnv({ REDIS_URL: 'localhost' })).toThrow(
      'REDIS_URL must be a redis:// or rediss:// URL, such as redis://127.0.0.1:6379.',
    )
  })
})

describeWithRedis('createNotesDemoFromEnv on a real Redis', () => {
  let redis: RedisTestServer

  beforeAll(async () => {
    redis = await startRedisServer()
  })

  afterAll(async () => {
    await redis?.stop()
  })

  it('makes every demo given the same REDIS_URL enforce one limit, and limits in memory while Redis is down', async () => {
    const lines: string[] = []
    const log = (line: string) => lines.push(line)
    const first = createNotesDemoFromEnv({ REDIS_URL: redis.url }, log)
    const second = createNotesDemoFromEnv({ REDIS_URL: redis.url }, log)
    try {
      const fresh = await search(first.demo)
      expect(fresh.headers.get('ratelimit')).toBe('"api-user";r=299;t=1, "search";r=9;t=6')
      const remaining: (string | null)[] = []
      for (const demo of [second, first, second, first, second, first, second, first, second])
        remaining.push((await search(demo.demo)).headers.get('x-ratelimit-remaining'))
      expect(remaining).toEqual(['8', '7', '6', '5', '4', '3', '2', '1', '0'])
      expect((await search(second.demo)).response?.status).toBe(429)

      const inspect = new Redis(redis.url)
      try {
        const keys = (await inspect.keys('notes-demo:rl:*')).sort()
        expect(keys).toEqual([
          'notes-demo:rl:{api-user:user:alice}',
          'notes-demo:rl:{search:ip:198.51.100.1}',
        ])
        for (const key of keys) expect(await inspect.pttl(key)).toBeGreaterThan(0)
      } finally {
        inspect.disconnect()
      }

      await redis.kill()
      const during = await search(first.demo, '198.51.100.2')
      expect(during.response).toBeUndefined()
      expect(during.headers.get('ratelimit')).toBe('"api-user";r=299;t=1, "search";r=9;t=6')
      expect(lines).toEqual([
        expect.stringMatching(
          /^Rate limiter "api-user": the redis store is unavailable(: .+)?; limiting with this process's memory until it is back\.$/,
        ),
        expect.stringMatching(
          /^Rate limiter "search": the redis store is unavailable(: .+)?; limiting with this process's memory until it is back\.$/,
        ),
      ])

      await redis.restart()
      await vi.waitFor(
        async () => {
          await search(first.demo, '198.51.100.3')
          expect(lines.slice(2)).toEqual([
            'Rate limiter "api-user": the redis store is back.',
            'Rate limiter "search": the redis store is back.',
          ])
        },
        { timeout: 10_000, interval: 250 },
      )
    } finally {
      first.close()
      second.close()
    }
  }, 20_000)

  it('refuses on one demo a signed request or webhook attempt another accepted, and a retry creates nothing', async () => {
    const first = createNotesDemoFromEnv({ REDIS_URL: redis.url }, () => undefined)
    const second = createNotesDemoFromEnv({ REDIS_URL: redis.url }, () => undefined)
    try {
      const importer = demoMachineClients[0] as (typeof demoMachineClients)[number]
      const body = '{"title":"Shared","body":""}'
      const headers = {
        host: 'localhost:3001',
        'content-type': 'application/json',
        ...(await createSigner({
          accessKeyId: importer.accessKeyId,
          secretAccessKey: importer.secretAccessKey,
          ...demoSigV4Scope,
          naming: demoSigV4Naming,
        }).sign({
          method: 'POST',
          url: 'https://localhost:3001/v1/signed/notes',
          headers: { host: 'localhost:3001', 'content-type': 'application/json' },
          body,
        })),
      }
      const signed = { method: 'POST', headers, body }
      expect(
        (await send(first.demo, '/v1/signed/notes', { ...signed, guards: first.demo.routes.signedNote }))
          .response,
      ).toBeUndefined()
      const replayed = await send(second.demo, '/v1/signed/notes', {
        ...signed,
        guards: second.demo.routes.signedNote,
      })
      expect([replayed.response?.status, JSON.parse(replayed.response?.body ?? '{}').reason]).toEqual([
        401,
        'replayed',
      ])

      const webhooks = createWebhookSigner({ secret: demoWebhookSecret })
      const payload = '{"type":"note.created","data":{"title":"Shared","body":""}}'
      const deliver = async (demo: NotesDemo, secondsAgo: number) => {
        const delivery = await webhooks.sign({
          id: 'msg_shared',
          timestamp: Math.floor(Date.now() / 1000) - secondsAgo,
          payload,
        })
        return send(demo, '/v1/webhooks/notes', {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...delivery },
          body: payload,
          guards: demo.routes.webhookNote,
        })
      }
      const accepted = await deliver(first.demo, 1)
      expect(await first.demo.handlers.receiveNoteEvent(accepted)).toMatchObject({ ownerId: 'admin' })
      const retried = await deliver(second.demo, 0)
      expect(retried.response).toBeUndefined()
      expect(await second.demo.handlers.receiveNoteEvent(retried)).toBeUndefined()

      const inspect = new Redis(redis.url)
      try {
        expect((await inspect.keys('notes-demo:nonce:*')).length).toBe(3)
        expect(await inspect.keys('notes-demo:delivery:*')).toEqual([
          'notes-demo:delivery:webhook-id:msg_shared',
        ])
      } finally {
        inspect.disconnect()
      }
    } finally {
      first.close()
      second.close()
    }
  })
})
