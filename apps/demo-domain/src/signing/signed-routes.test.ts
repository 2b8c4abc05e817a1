import { createSigner, createWebhookSigner, type NonceStore, type SignerOptions } from '@sec/core'
import { describe, expect, it } from 'vitest'
import { send, type TestRequest, testDemo } from '../demo/notes-demo.fixture.js'
import type { DemoEvent } from '../identity/index.js'
import {
  demoMachineClients,
  demoSigV4Naming,
  demoSigV4Scope,
  demoWebhookSecret,
} from './demo-signing-credentials.js'

const origin = 'https://localhost:3001'
const note = JSON.stringify({ title: 'Signed', body: 'By a machine' })
const event = (title: string) => JSON.stringify({ type: 'note.created', data: { title, body: '' } })
const importer = demoMachineClients[0] as (typeof demoMachineClients)[number]

function signerAt(now: number, change: Partial<SignerOptions> = {}) {
  return createSigner({
    accessKeyId: importer.accessKeyId,
    secretAccessKey: importer.secretAccessKey,
    ...demoSigV4Scope,
    naming: demoSigV4Naming,
    clock: { now: () => now },
    ...change,
  })
}

async function signedPost(
  now: number,
  body = note,
  change: Partial<SignerOptions> = {},
): Promise<TestRequest> {
  const headers = { host: 'localhost:3001', 'content-type': 'application/json' }
  const signed = await signerAt(now, change).sign({
    method: 'POST',
    url: `${origin}/v1/signed/notes`,
    headers,
    body,
  })
  return { method: 'POST', headers: { ...headers, ...signed }, body }
}

async function delivery(
  now: number,
  id: string,
  body: string,
  secret = demoWebhookSecret,
): Promise<TestRequest> {
  const signed = await createWebhookSigner({ secret }).sign({
    id,
    timestamp: Math.floor(now / 1000),
    payload: body,
  })
  return { method: 'POST', headers: { 'content-type': 'application/json', ...signed }, body }
}

const reasonOf = (body: string | null | undefined) => (JSON.parse(body ?? '{}') as { reason?: string }).reason

describe('POST /v1/signed/notes', () => {
  it('creates a note for the machine client’s owner from a signed request', async () => {
    const { demo } = testDemo()
    const outcome = await send(demo, '/v1/signed/notes', {
      ...(await signedPost(Date.UTC(2026, 0, 1))),
      guards: demo.routes.signedNote,
    })
    expect(outcome.response).toBeUndefined()
    expect(outcome.principal).toEqual({
      id: 'alice',
      kind: 'client',
      scopes: ['notes:write'],
      accessKeyId: 'notes-importer',
    })
    expect(demo.handlers.createNote(outcome)).toMatchObject({
      ownerId: 'alice',
      title: 'Signed',
      body: 'By a machine',
    })
  })

  it('refuses a replay, a stale request, a tampered body and an unknown key with 401 and their reasons', async () => {
    const events: DemoEvent[] = []
    const { demo } = testDemo({ events: (e) => void events.push(e) })
    const now = Date.UTC(2026, 0, 1)
    const post = (request: TestRequest) =>
      send(demo, '/v1/signed/notes', { ...request, guards: demo.routes.signedNote })
    const once = await signedPost(now)
    expect((await post(once)).response).toBeUndefined()
    const cases: [TestRequest, string][] = [
      [once, 'replayed'],
      [await signedPost(now - 301_000), 'expired'],
      [{ ...(await signedPost(now)), body: note.replace('Signed', 'Forged') }, 'body-mismatch'],
      [await signedPost(now, note, { accessKeyId: 'someone-else' }), 'unknown-key'],
      [await signedPost(now, note, { secretAccessKey: 'guessed-secret' }), 'bad-signature'],
      [await signedPost(now, note, { naming: {} }), 'malformed'],
    ]
    for (const [request, reason] of cases) {
      const outcome = await post(request)
      expect([outcome.response?.status, reasonOf(outcome.response?.body)], reason).toEqual([401, reason])
      expect(outcome.response?.headers.get('www-authenticate')).toBe('SEC1-HMAC-SHA256 realm="api"')
    }
    expect(
      events
        .filter((e) => e.type === 'auth.rejected')
        .map((e) => 'keyId' in e && [e.scheme, e.reason, e.keyId]),
    ).toEqual([
      ['sigv4', 'replayed', 'notes-importer'],
      ['sigv4', 'expired', 'notes-importer'],
      ['sigv4', 'body-mismatch', 'notes-importer'],
      ['sigv4', 'unknown-key', 'someone-else'],
      ['sigv4', 'bad-signature', 'notes-importer'],
      ['sigv4', 'malformed', undefined],
    ])
  })

  it('uses the replay store it is given', async () => {
    const recorded: string[] = []
    const store: NonceStore = {
      record(nonce) {
        recorded.push(nonce)
        return true
      },
    }
    const { demo } = testDemo({ replayStore: store })
    const request = await signedPost(Date.UTC(2026, 0, 1))
    for (let i = 0; i < 2; i++)
      expect(
        (await send(demo, '/v1/signed/notes', { ...request, guards: demo.routes.signedNote })).response,
      ).toBeUndefined()
    expect(recorded).toEqual([expect.stringMatching(/^sigv4:notes-importer:[A-Za-z0-9_-]{22}$/), recorded[0]])
  })
})

describe('POST /v1/webhooks/notes', () => {
  it('creates a note for admin, once per webhook id; refuses a resent attempt with 401 replayed', async () => {
    const events: DemoEvent[] = []
    const { demo, time } = testDemo({ events: (e) => void events.push(e) })
    const post = (request: TestRequest) =>
      send(demo, '/v1/webhooks/notes', { ...request, guards: demo.routes.webhookNote })
    const first = await delivery(Date.UTC(2026, 0, 1), 'msg_1', event('Inbox'))
    const accepted = await post(first)
    expect(accepted.response).toBeUndefined()
    expect(accepted.principal).toEqual({ id: 'notes-inbox', kind: 'webhook', webhookId: 'msg_1' })
    expect(await demo.handlers.receiveNoteEvent(accepted)).toMatchObject({ ownerId: 'admin', title: 'Inbox' })

    const resent = await post(first)
    expect([resent.response?.status, resent.response?.body]).toEqual([
      401,
      '{"detail":"This webhook delivery was already received.","reason":"replayed","type":"urn:sec:problem:unauthorized","title":"Unauthorized","status":401}',
    ])
    expect(events.filter((e) => e.type === 'auth.rejected')).toEqual([
      expect.objectContaining({
        scheme: 'webhook',
        reason: 'replayed',
        keyId: undefined,
        path: '/v1/webhooks/notes',
      }),
    ])

    time.advance(30_000)
    const retry = await post(await delivery(Date.UTC(2026, 0, 1) + 30_000, 'msg_1', event('Inbox')))
    expect(retry.response).toBeUndefined()
    expect(await demo.handlers.receiveNoteEvent(retry)).toBeUndefined()
    expect(demo.store.list('admin').map((n) => n.title)).toEqual(['Inbox'])
  })

  it('refuses a bad signature, a stale delivery and an invalid event', async () => {
    const { demo } = testDemo()
    const now = Date.UTC(2026, 0, 1)
    const post = (request: TestRequest) =>
      send(demo, '/v1/webhooks/notes', { ...request, guards: demo.routes.webhookNote })
    const other = `whsec_${Buffer.from('another sender, another key!!!!!').toString('base64')}`
    const bad = await post(await delivery(now, 'msg_2', event('x'), other))
    expect([bad.response?.status, reasonOf(bad.response?.body)]).toEqual([401, 'bad-signature'])
    const stale = await post(await delivery(now - 301_000, 'msg_3', event('x')))
    expect([stale.response?.status, reasonOf(stale.response?.body)]).toEqual([401, 'expired'])
    const invalid = await post(
      await delivery(now, 'msg_4', '{"type":"note.deleted","data":{"title":"x","body":""}}'),
    )
    expect(invalid.response?.status).toBe(400)
  })

  it('answers 503 when the replay or the delivery store fails', async () => {
    const failing: NonceStore = {
      record() {
        throw new Error('redis down')
      },
    }
    const now = Date.UTC(2026, 0, 1)
    const replays = testDemo({ replayStore: failing }).demo
    const refused = await send(replays, '/v1/webhooks/notes', {
      ...(await delivery(now, 'msg_5', event('x'))),
      guards: replays.routes.webhookNote,
    })
    expect([refused.response?.status, refused.response?.headers.get('retry-after')]).toEqual([503, '5'])
    expect(JSON.parse(refused.response?.body ?? '{}')).toMatchObject({
      type: 'urn:sec:problem:auth-unavailable',
    })

    const deliveries = testDemo({ deliveryStore: failing }).demo
    const accepted = await send(deliveries, '/v1/webhooks/notes', {
      ...(await delivery(now, 'msg_6', event('x'))),
      guards: deliveries.routes.webhookNote,
    })
    await expect(deliveries.handlers.receiveNoteEvent(accepted)).rejects.toMatchObject({
      problem: { type: 'about:blank', status: 503 },
      headers: { 'retry-after': '5' },
    })
  })
})
