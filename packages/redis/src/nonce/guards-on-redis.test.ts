import {
  createSecurity,
  createSigner,
  createWebhookSigner,
  fromWebRequest,
  type Guard,
  generateWebhookSecret,
  type Outcome,
  sigv4,
  webhook,
} from '@sec/core'
import { describeWithRedis, type RedisTestServer, startRedisServer } from '@sec/testkit'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freshPrefix, unreachableClient } from '../testing/redis-topologies.js'
import { functionalTimeoutMs } from '../testing/test-settings.js'
import { redisNonceStore } from './redis-nonce-store.js'

const accessKeyId = 'AKIDNONCE'
const secretAccessKey = 'a-secret-of-the-machine-client'
const url = 'https://api.example.com/v1/signed/notes'
const payload = JSON.stringify({ title: 'Signed once' })

/** A request as saved from the wire: sent again as often as a test likes, each time a new `Request`. */
interface SavedRequest {
  readonly method: string
  readonly url: string
  readonly headers: Record<string, string>
  readonly body: string
}

function send(guards: readonly Guard[], saved: SavedRequest): Promise<Outcome> {
  const request = new Request(saved.url, { method: saved.method, headers: saved.headers, body: saved.body })
  return createSecurity().protect(fromWebRequest(request), { guards })
}

function answer(outcome: Outcome) {
  const early = outcome.response
  return {
    status: early?.status,
    headers: Object.fromEntries(early?.headers ?? []),
    body: early?.body,
  }
}

const problemHeaders = { 'cache-control': 'no-store', 'content-type': 'application/problem+json' }
const unauthorized = (reason: string, detail: string) =>
  JSON.stringify({ detail, reason, type: 'urn:sec:problem:unauthorized', title: 'Unauthorized', status: 401 })

describeWithRedis('the sigv4 and webhook guards with redisNonceStore, end to end', () => {
  let server: RedisTestServer
  let client: Redis
  const clients: Redis[] = []
  beforeAll(async () => {
    server = await startRedisServer()
    client = new Redis(server.port, '127.0.0.1')
    clients.push(client)
    await client.ping()
  })
  afterAll(async () => {
    for (const own of clients) own.disconnect()
    await server?.stop()
  })

  /** One app instance: its own client and nonce store, sharing only Redis with the others. */
  function ownStore(prefix: string) {
    const own = new Redis(server.port, '127.0.0.1')
    clients.push(own)
    return redisNonceStore(own, { prefix, timeoutMs: functionalTimeoutMs })
  }

  describe('sigv4', () => {
    const signer = createSigner({ accessKeyId, secretAccessKey, region: 'eu', service: 'notes' })
    const credentials = (id: string) => (id === accessKeyId ? [secretAccessKey] : undefined)
    const instance = (prefix: string): Guard =>
      sigv4({ credentials, region: 'eu', service: 'notes', nonce: { store: ownStore(prefix) } })

    async function signed(): Promise<SavedRequest> {
      const headers = { 'content-type': 'application/json', host: 'api.example.com' }
      const added = await signer.sign({ method: 'POST', url, headers, body: payload })
      return { method: 'POST', url, headers: { ...headers, ...added }, body: payload }
    }

    const replayed = {
      status: 401,
      headers: { ...problemHeaders, 'www-authenticate': 'AWS4-HMAC-SHA256 realm="api"' },
      body: unauthorized('replayed', 'This request was already received: its nonce can be used once.'),
    }

    it('refuses on a second instance the signed request a first one accepted', async () => {
      const prefix = freshPrefix('sigv4')
      const first = instance(prefix)
      const second = instance(prefix)
      const request = await signed()

      const accepted = await send([first], request)
      expect(accepted.verdict).toBe('allow')
      expect(accepted.principal).toEqual({ id: accessKeyId, kind: 'client', accessKeyId })
      expect(answer(await send([second], request))).toEqual(replayed)
      expect(answer(await send([first], request))).toEqual(replayed)

      const nonce = request.headers['X-Amz-Nonce'] as string
      expect(nonce).toMatch(/^[A-Za-z0-9_-]{22}$/)
      const key = `${prefix}sigv4:${accessKeyId}:${nonce}`
      expect(await client.get(key)).toBe('1')
      // Kept for the rest of the ±5-minute window plus the skew: at most 10 minutes.
      const ttl = await client.pttl(key)
      expect(ttl).toBeGreaterThan(9 * 60_000)
      expect(ttl).toBeLessThanOrEqual(10 * 60_000)

      expect((await send([second], await signed())).verdict).toBe('allow')
    })

    it('admits exactly one of the same signed request raced on two instances', async () => {
      const prefix = freshPrefix('sigv4-race')
      const instances = [instance(prefix), instance(prefix)]
      const request = await signed()
      const outcomes = await Promise.all(
        Array.from({ length: 20 }, (_, i) => send([instances[i % 2] as Guard], request)),
      )
      expect(outcomes.filter((outcome) => outcome.verdict === 'allow')).toHaveLength(1)
      for (const outcome of outcomes.filter((o) => o.verdict !== 'allow'))
        expect(answer(outcome)).toEqual(replayed)
    })

    it('answers 503 auth-unavailable, not a replay nor a 500, while Redis cannot be reached', async () => {
      const unreachable = await unreachableClient()
      try {
        const guard = sigv4({
          credentials,
          region: 'eu',
          service: 'notes',
          nonce: { store: redisNonceStore(unreachable, { timeoutMs: 100 }) },
        })
        const outcome = await send([guard], await signed())
        expect(answer(outcome)).toEqual({
          status: 503,
          headers: { ...problemHeaders, 'retry-after': '5' },
          body: JSON.stringify({
            detail: 'Signed requests cannot be checked for replays right now. Retry later.',
            type: 'urn:sec:problem:auth-unavailable',
            title: 'Authentication Unavailable',
            status: 503,
          }),
        })
      } finally {
        unreachable.disconnect()
      }
    })
  })

  describe('webhook', () => {
    const secret = generateWebhookSecret()
    const sender = createWebhookSigner({ secret })
    const instance = (prefix: string): Guard => webhook({ secrets: [secret], replay: ownStore(prefix) })

    async function delivery(id: string): Promise<SavedRequest> {
      const headers = await sender.sign({ id, payload })
      return {
        method: 'POST',
        url: 'https://api.example.com/v1/webhooks/notes',
        headers: { 'content-type': 'application/json', ...headers },
        body: payload,
      }
    }

    it('refuses on a second instance the delivery a first one accepted, keyed by webhook-id', async () => {
      const prefix = freshPrefix('webhook')
      const first = instance(prefix)
      const second = instance(prefix)
      const request = await delivery('msg_2mWJQbQ6vZ0f')

      const accepted = await send([first], request)
      expect(accepted.verdict).toBe('allow')
      expect(accepted.facts.webhook).toMatchObject({ id: 'msg_2mWJQbQ6vZ0f', secretIndex: 0 })
      const refusal = {
        status: 401,
        headers: problemHeaders,
        body: unauthorized('replayed', 'This webhook delivery was already received.'),
      }
      expect(answer(await send([second], request))).toEqual(refusal)
      expect(answer(await send([first], request))).toEqual(refusal)

      expect(await client.get(`${prefix}msg_2mWJQbQ6vZ0f`)).toBe('1')
      // Until the timestamp leaves the 5-minute tolerance.
      const ttl = await client.pttl(`${prefix}msg_2mWJQbQ6vZ0f`)
      expect(ttl).toBeGreaterThan(4 * 60_000)
      expect(ttl).toBeLessThanOrEqual(5 * 60_000 + 1000)

      expect((await send([second], await delivery('msg_other'))).verdict).toBe('allow')
    })

    it('answers 503 with Retry-After while Redis cannot be reached', async () => {
      const unreachable = await unreachableClient()
      try {
        const guard = webhook({ secrets: [secret], replay: redisNonceStore(unreachable, { timeoutMs: 100 }) })
        expect(answer(await send([guard], await delivery('msg_down')))).toEqual({
          status: 503,
          headers: { ...problemHeaders, 'retry-after': '5' },
          body: JSON.stringify({
            detail: 'Webhook deliveries cannot be checked for replays right now. Retry later.',
            type: 'urn:sec:problem:auth-unavailable',
            title: 'Authentication Unavailable',
            status: 503,
          }),
        })
      } finally {
        unreachable.disconnect()
      }
    })
  })
})
