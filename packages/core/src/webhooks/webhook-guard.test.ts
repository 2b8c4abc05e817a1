import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import vector from '../../../../../shared/conformance/vectors/standard-webhooks.json'
import { body } from '../body/index.js'
import { SecConfigError } from '../errors/index.js'
import type { SecurityEvent } from '../events/index.js'
import { createSecurity, type Guard } from '../pipeline/index.js'
import { fromWebRequest, onceBody, type SecurityRequest } from '../request/index.js'
import { memoryNonceStore } from '../signing/nonce/index.js'
import { webhook } from './webhook-guard.js'
import { createWebhookSigner } from './webhook-signer.js'

const now = vector.timestamp * 1000 + 2500
const url = 'https://api.example.com/v1/webhooks/notes'
const signed = {
  'webhook-id': vector.id,
  'webhook-timestamp': String(vector.timestamp),
  'webhook-signature': vector.signature,
}

function protect(
  guards: readonly Guard[],
  headers: Record<string, string>,
  payload: string | Uint8Array<ArrayBuffer> = vector.body,
) {
  const security = createSecurity({ guards, clock: { now: () => now } })
  return security.protect(
    fromWebRequest(
      new Request(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: payload,
      }),
    ),
  )
}

const problemHeaders = { 'cache-control': 'no-store', 'content-type': 'application/problem+json' }
const problemBody = (reason: string, detail: string) =>
  JSON.stringify({ detail, reason, type: 'urn:sec:problem:unauthorized', title: 'Unauthorized', status: 401 })

describe('webhook', () => {
  const guard = webhook({ secrets: [vector.secret] })

  it('accepts the vector, records the facts and sets the principal', async () => {
    const outcome = await protect([guard, body()], signed)
    expect(outcome.verdict).toBe('allow')
    expect(outcome.response).toBeUndefined()
    expect(outcome.facts.webhook).toEqual({ id: vector.id, timestamp: vector.timestamp, secretIndex: 0 })
    expect(outcome.principal).toEqual({ id: 'webhook', kind: 'webhook', webhookId: vector.id })
    expect(outcome.body).toEqual({ test: 2432232314 })
  })

  it('names the sender in the principal', async () => {
    const outcome = await protect([webhook({ secrets: [vector.secret], sender: 'billing' })], signed)
    expect(outcome.principal).toEqual({ id: 'billing', kind: 'webhook', webhookId: vector.id })
  })

  it('answers each refusal with a 401 problem and its reason', async () => {
    const cases: [Record<string, string>, string, string, string?][] = [
      [{ 'webhook-id': '' }, 'missing-header', 'The webhook-id header is missing.'],
      [{ 'webhook-timestamp': '' }, 'missing-header', 'The webhook-timestamp header is missing.'],
      [{ 'webhook-signature': '' }, 'missing-header', 'The webhook-signature header is missing.'],
      [
        { 'webhook-id': 'msg.1' },
        'malformed',
        "The webhook-id header must be 1 to 256 visible ASCII characters, without '.'.",
      ],
      [
        { 'webhook-timestamp': 'yesterday' },
        'malformed',
        'The webhook-timestamp header must be a Unix time in whole seconds.',
      ],
      [
        { 'webhook-signature': 'sha256=abc' },
        'malformed',
        'The webhook-signature header holds no signature of the form v1,<base64>.',
      ],
      [
        { 'webhook-timestamp': String(vector.timestamp - 400) },
        'expired',
        'The webhook timestamp is more than 300 seconds old.',
      ],
      [
        { 'webhook-timestamp': String(vector.timestamp + 400) },
        'future',
        "The webhook timestamp is more than 300 seconds ahead of the receiver's clock.",
      ],
      [{}, 'bad-signature', 'No v1 signature in webhook-signature matches this payload.', `${vector.body} `],
      [
        { 'webhook-id': 'msg_other' },
        'bad-signature',
        'No v1 signature in webhook-signature matches this payload.',
      ],
    ]
    for (const [change, reason, detail, payload] of cases) {
      const outcome = await protect([guard], { ...signed, ...change }, payload)
      expect(outcome.verdict, reason).toBe('challenge')
      expect(outcome.reason).toBe('unauthorized')
      expect(outcome.guard).toBe('webhook')
      expect(outcome.response?.status).toBe(401)
      expect(Object.fromEntries(outcome.response?.headers ?? [])).toEqual(problemHeaders)
      expect(outcome.response?.body).toBe(problemBody(reason, detail))
      expect(outcome.principal).toBeUndefined()
      expect(outcome.facts.webhook).toBeUndefined()
    }
  })

  it('never echoes the expected signature or the secret', async () => {
    const outcome = await protect([guard], { ...signed, 'webhook-signature': `v1,${'A'.repeat(43)}=` })
    const text = `${outcome.response?.body} ${JSON.stringify(Object.fromEntries(outcome.response?.headers ?? []))}`
    expect(text).not.toContain(vector.signature.slice(3))
    expect(text).not.toContain(vector.secret.slice(6))
  })

  it('refuses on the headers before reading the body', async () => {
    let read = false
    const lines = new Headers({ ...signed, 'webhook-timestamp': '1' })
    const request: SecurityRequest = {
      method: 'POST',
      target: '/v1/webhooks/notes',
      headers: {
        get: (name) => lines.get(name),
        getAll: (name) => (lines.has(name) ? [lines.get(name) as string] : []),
        has: (name) => lines.has(name),
      },
      remoteAddress: '127.0.0.1',
      encrypted: true,
      body: onceBody(async () => {
        read = true
        return new Uint8Array(0)
      }),
    }
    const outcome = await createSecurity({ guards: [guard], clock: { now: () => now } }).protect(request)
    expect(outcome.response?.status).toBe(401)
    expect(JSON.parse(outcome.response?.body ?? '{}')).toMatchObject({ reason: 'expired' })
    expect(read).toBe(false)
  })

  it('reads every field line a Node adapter keeps apart', async () => {
    const request = (lines: Record<string, readonly string[]>): SecurityRequest => ({
      method: 'POST',
      target: '/v1/webhooks/notes',
      headers: {
        get: (name) => lines[name]?.join(', ') ?? null,
        getAll: (name) => lines[name] ?? [],
        has: (name) => lines[name] !== undefined,
      },
      remoteAddress: '127.0.0.1',
      encrypted: true,
      body: onceBody(async () => new TextEncoder().encode(vector.body)),
    })
    const security = createSecurity({ guards: [guard], clock: { now: () => now } })
    const base = {
      'webhook-id': [vector.id],
      'webhook-timestamp': [String(vector.timestamp)],
      'webhook-signature': ['v1,c29tZXRoaW5nIGVsc2U=', vector.signature],
    }
    expect((await security.protect(request(base))).verdict).toBe('allow')
    const repeated = await security.protect(request({ ...base, 'webhook-id': [vector.id, vector.id] }))
    expect(repeated.response?.body).toBe(problemBody('malformed', 'The webhook-id header must appear once.'))
  })

  it('refuses a body over the limit with 413 before verifying it', async () => {
    const outcome = await protect([webhook({ secrets: [vector.secret], limit: 10 })], signed)
    expect(outcome.response?.status).toBe(413)
    expect(outcome.response?.body).toBe(
      JSON.stringify({
        detail: 'The body exceeds 10 bytes.',
        type: 'urn:sec:problem:body-too-large',
        title: 'Content Too Large',
        status: 413,
      }),
    )
  })

  it('verifies the exact bytes received', async () => {
    const bytes = new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d])
    const headers = await createWebhookSigner({ secret: vector.secret }).sign({
      id: 'msg_bytes',
      timestamp: vector.timestamp,
      payload: bytes,
    })
    expect((await protect([guard], headers, bytes)).verdict).toBe('allow')
    expect((await protect([guard], headers, new TextDecoder().decode(bytes))).response?.status).toBe(401)
  })

  it('accepts a signature header repeated by a proxy and joined with a comma', async () => {
    const headers = new Headers(signed)
    headers.append('webhook-signature', 'v1,c29tZXRoaW5nIGVsc2U=')
    expect(headers.get('webhook-signature')).toBe(`${vector.signature}, v1,c29tZXRoaW5nIGVsc2U=`)
    const security = createSecurity({ guards: [guard], clock: { now: () => now } })
    const outcome = await security.protect(
      fromWebRequest(new Request(url, { method: 'POST', headers, body: vector.body })),
    )
    expect(outcome.verdict).toBe('allow')
  })

  it('refuses an id or a timestamp repeated on two field lines', async () => {
    for (const name of ['webhook-id', 'webhook-timestamp'] as const) {
      const headers = new Headers(signed)
      headers.append(name, signed[name])
      const security = createSecurity({ guards: [guard], clock: { now: () => now } })
      const outcome = await security.protect(
        fromWebRequest(new Request(url, { method: 'POST', headers, body: vector.body })),
      )
      expect(outcome.response?.status).toBe(401)
      expect(JSON.parse(outcome.response?.body ?? '{}')).toMatchObject({ reason: 'malformed' })
    }
  })

  it('refuses a replay of the same id within the tolerance', async () => {
    const replayGuard = webhook({ secrets: [vector.secret], replay: memoryNonceStore() })
    expect((await protect([replayGuard], signed)).verdict).toBe('allow')
    const again = await protect([replayGuard], signed)
    expect(again.response?.status).toBe(401)
    expect(again.response?.body).toBe(problemBody('replayed', 'This webhook delivery was already received.'))
  })

  it('emits auth.rejected with the reason on each refusal, and nothing without a signature', async () => {
    const events: SecurityEvent[] = []
    const security = createSecurity({
      guards: [webhook({ secrets: [vector.secret], replay: memoryNonceStore() })],
      clock: { now: () => now },
      events: (event) => void events.push(event),
    })
    const send = async (headers: Record<string, string>, payload: string = vector.body) =>
      (await security.protect(fromWebRequest(new Request(url, { method: 'POST', headers, body: payload }))))
        .response?.status
    expect(await send({})).toBe(401)
    expect(await send({ ...signed, 'webhook-signature': '' })).toBe(401)
    expect(await send(signed)).toBe(undefined)
    expect(await send(signed)).toBe(401)
    expect(await send({ ...signed, 'webhook-id': 'msg_other' })).toBe(401)
    expect(await send(signed, `${vector.body} `)).toBe(401)
    expect(await send({ ...signed, 'webhook-timestamp': String(vector.timestamp - 400) })).toBe(401)
    expect(await send({ ...signed, 'webhook-id': '' })).toBe(401)
    expect(await send({ ...signed, 'webhook-signature': 'sha256=abc' })).toBe(401)
    expect(events).toEqual([
      {
        type: 'auth.rejected',
        scheme: 'webhook',
        reason: 'replayed',
        keyId: undefined,
        time: now,
        requestId: expect.any(String),
        method: 'POST',
        path: '/v1/webhooks/notes',
        clientIp: undefined,
      },
      expect.objectContaining({ scheme: 'webhook', reason: 'bad-signature', keyId: undefined }),
      expect.objectContaining({ scheme: 'webhook', reason: 'bad-signature', keyId: undefined }),
      expect.objectContaining({ scheme: 'webhook', reason: 'expired', keyId: undefined }),
      expect.objectContaining({ scheme: 'webhook', reason: 'missing-header', keyId: undefined }),
      expect.objectContaining({ scheme: 'webhook', reason: 'malformed', keyId: undefined }),
    ])
    const logged = JSON.stringify(events)
    expect(logged).not.toContain(vector.signature.slice(3))
    expect(logged).not.toContain(vector.secret.slice(6))
  })

  it('answers 503 with Retry-After when the replay store cannot answer', async () => {
    const failing = {
      record: () => {
        throw new Error('redis down at 10.0.0.5')
      },
    }
    const outcome = await protect([webhook({ secrets: [vector.secret], replay: failing })], signed)
    expect(outcome.response?.status).toBe(503)
    expect(Object.fromEntries(outcome.response?.headers ?? [])).toEqual({
      ...problemHeaders,
      'retry-after': '5',
    })
    expect(outcome.response?.body).toBe(
      JSON.stringify({
        detail: 'Webhook deliveries cannot be checked for replays right now. Retry later.',
        type: 'urn:sec:problem:auth-unavailable',
        title: 'Authentication Unavailable',
        status: 503,
      }),
    )
  })

  it('answers malformed headers with a 401 problem, never a 500', async () => {
    const security = createSecurity({ guards: [guard], clock: { now: () => now } })
    const latin1 = fc
      .array(
        fc.integer({ min: 0x20, max: 0xff }).filter((code) => code !== 0x7f),
        { maxLength: 300 },
      )
      .map((codes) => String.fromCharCode(...codes))
    const value = fc.oneof(latin1, fc.constantFrom(...Object.values(signed)))
    await fc.assert(
      fc.asyncProperty(
        fc.record(
          { 'webhook-id': value, 'webhook-timestamp': value, 'webhook-signature': value },
          { requiredKeys: [] },
        ),
        fc.string({ maxLength: 100 }),
        async (headers, payload) => {
          const outcome = await security.protect(
            fromWebRequest(new Request(url, { method: 'POST', headers, body: payload })),
          )
          if (outcome.verdict === 'allow') return
          expect(outcome.response?.status).toBe(401)
          expect(JSON.parse(outcome.response?.body ?? '{}')).toMatchObject({
            type: 'urn:sec:problem:unauthorized',
            status: 401,
          })
        },
      ),
      { numRuns: 300 },
    )
  })

  it('checks its options at construction', () => {
    const cases: [unknown, string][] = [
      [{}, 'webhook.secrets'],
      [{ secrets: ['whsec_short'] }, 'webhook.secrets[0]'],
      [{ secrets: [vector.secret, 'sk_live_123'] }, 'webhook.secrets[1]'],
      [{ secrets: [vector.secret], limit: '1 MB' }, 'webhook.limit'],
      [{ secrets: [vector.secret], sender: '' }, 'webhook.sender'],
      [{ secrets: [vector.secret], clock: { now: () => 0 } }, 'webhook.clock'],
    ]
    for (const [options, path] of cases) {
      expect(() => webhook(options as never), path).toThrow(SecConfigError)
      try {
        webhook(options as never)
      } catch (error) {
        expect((error as SecConfigError).path).toBe(path)
      }
    }
  })
})
