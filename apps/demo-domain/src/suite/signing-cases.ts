import { createSigner, createWebhookSigner, type SignerOptions } from '@sec/core'
import { expect, it } from 'vitest'
import {
  demoMachineClients,
  demoSigV4Naming,
  demoSigV4Scope,
  demoWebhookSecret,
  webhookNoteOwner,
} from '../signing/index.js'
import {
  apiLimit,
  emptyHeaders,
  hsts,
  isoTimestamp,
  jsonHeaders,
  noteIdPattern,
  problemHeaders,
  validationFailed,
} from './expected-responses.js'
import type { SuiteClient, SuiteSessions } from './suite-client.js'
import { bearer, viaHttpsProxy } from './suite-client.js'

const importer = demoMachineClients[0] as (typeof demoMachineClients)[number]

/** The 401 of a refused signed request or webhook delivery, with its reason. */
function refusal(reason: string, detail: string): string {
  return JSON.stringify({
    detail,
    reason,
    type: 'urn:sec:problem:unauthorized',
    title: 'Unauthorized',
    status: 401,
  })
}

/** What a refused signed request carries besides the problem headers. */
const sigv4Challenge = { 'www-authenticate': 'SEC1-HMAC-SHA256 realm="api"' }

/** The cases of signed requests (`POST /v1/signed/notes`) and webhooks (`POST /v1/webhooks/notes`). */
export function signingCases(client: SuiteClient, sessions: SuiteSessions): void {
  const { send, comparable } = client
  // Each request comes from an address of its own, through the trusted proxy, so its rate-limit
  // headers are exact: a signed request is anonymous to the app-wide limit.
  let address = 0
  const fresh = () => viaHttpsProxy(`198.18.0.${++address}`)
  const fromFresh = (status: number, headers: Record<string, string>) => ({
    status,
    headers: { ...headers, ...hsts, ...apiLimit(59, 1) },
  })

  const signer = (change: Partial<SignerOptions> = {}) =>
    createSigner({
      accessKeyId: importer.accessKeyId,
      secretAccessKey: importer.secretAccessKey,
      ...demoSigV4Scope,
      naming: demoSigV4Naming,
      ...change,
    })
  /** A signed `POST /v1/signed/notes`, sent with `body` (by default the body it signed). */
  const signedNote = async (signed: unknown, change: Partial<SignerOptions> = {}, body?: string) => {
    const text = JSON.stringify(signed)
    const headers = await signer(change).sign({
      method: 'POST',
      url: `${client.url()}/v1/signed/notes`,
      headers: { 'content-type': 'application/json' },
      body: text,
    })
    return {
      method: 'POST',
      target: '/v1/signed/notes',
      headers: [['Content-Type', 'application/json'], ...Object.entries(headers)] as [string, string][],
      body: body ?? text,
    }
  }

  const webhookSigner = createWebhookSigner({ secret: demoWebhookSecret })
  const nowSeconds = () => Math.floor(Date.now() / 1000)
  /** A Standard Webhooks delivery of `event`, stamped `timestamp` (Unix seconds, default now). */
  const delivery = async (id: string, event: unknown, timestamp = nowSeconds(), secret = webhookSigner) => {
    const body = JSON.stringify(event)
    const headers = await secret.sign({ id, timestamp, payload: body })
    return {
      method: 'POST',
      target: '/v1/webhooks/notes',
      headers: [['Content-Type', 'application/json'], ...Object.entries(headers)] as [string, string][],
      body,
    }
  }
  const noteEvent = (title: string) => ({ type: 'note.created', data: { title, body: 'From a webhook' } })
  const withAddress = <T extends { headers: [string, string][] }>(request: T) => ({
    ...request,
    headers: [...request.headers, ...fresh()],
  })

  it('creates a note for the machine client’s owner from a signed request, with 201', async () => {
    const res = await send(
      withAddress(await signedNote({ title: 'Signed import', body: 'By notes-importer' })),
    )
    expect(comparable(res)).toEqual(fromFresh(201, jsonHeaders))
    const note = JSON.parse(res.body) as { id: string; createdAt: string }
    expect(note).toEqual({
      id: expect.stringMatching(noteIdPattern),
      ownerId: importer.owner,
      title: 'Signed import',
      body: 'By notes-importer',
      tags: [],
      createdAt: expect.stringMatching(isoTimestamp),
    })
    const mine = await send({ target: `/v1/notes/${note.id}`, headers: bearer(sessions.alice.access_token) })
    expect([mine.status, mine.body]).toEqual([200, res.body])
  })

  it('refuses a replayed signed request with 401 replayed', async () => {
    const request = await signedNote({ title: 'Once', body: '' })
    expect((await send(withAddress(request))).status).toBe(201)
    const res = await send(withAddress(request))
    expect(comparable(res)).toEqual(fromFresh(401, { ...problemHeaders, ...sigv4Challenge }))
    expect(res.body).toBe(
      refusal('replayed', 'This request was already received: its nonce can be used once.'),
    )
  })

  it('refuses a signed request more than 5 minutes old with 401 expired', async () => {
    const stale = await signedNote(
      { title: 'Late', body: '' },
      { clock: { now: () => Date.now() - 360_000 } },
    )
    const res = await send(withAddress(stale))
    expect(comparable(res)).toEqual(fromFresh(401, { ...problemHeaders, ...sigv4Challenge }))
    expect(res.body).toBe(refusal('expired', "The request time is more than 300 seconds from the server's."))
  })

  it('refuses a signed request whose body was changed with 401 body-mismatch', async () => {
    const tampered = await signedNote(
      { title: 'Pay 10', body: '' },
      {},
      JSON.stringify({ title: 'Pay 1000', body: '' }),
    )
    const res = await send(withAddress(tampered))
    expect(comparable(res)).toEqual(fromFresh(401, { ...problemHeaders, ...sigv4Challenge }))
    expect(res.body).toBe(refusal('body-mismatch', 'The body does not match the signed content hash.'))
  })

  it('refuses an unknown access key id with 401 unknown-key, and a wrong secret with 401 bad-signature', async () => {
    const unknown = await send(
      withAddress(await signedNote({ title: 't', body: '' }, { accessKeyId: 'nobody' })),
    )
    expect(comparable(unknown)).toEqual(fromFresh(401, { ...problemHeaders, ...sigv4Challenge }))
    expect(unknown.body).toBe(refusal('unknown-key', 'The access key id is not known.'))
    const forged = await send(
      withAddress(await signedNote({ title: 't', body: '' }, { secretAccessKey: 'a-guessed-secret' })),
    )
    expect(comparable(forged)).toEqual(fromFresh(401, { ...problemHeaders, ...sigv4Challenge }))
    expect(forged.body).toBe(refusal('bad-signature', 'The signature does not match the request.'))
  })

  it('refuses an unsigned request to /v1/signed/notes with 401, naming the scheme', async () => {
    const res = await send({
      method: 'POST',
      target: '/v1/signed/notes',
      headers: [['Content-Type', 'application/json'], ...fresh()],
      body: '{"title":"t","body":""}',
    })
    expect(comparable(res)).toEqual(fromFresh(401, { ...problemHeaders, ...sigv4Challenge }))
    expect(res.body).toBe(
      refusal(
        'missing-header',
        'This request must be signed: send an Authorization header (SEC1-HMAC-SHA256) or use a presigned URL.',
      ),
    )
  })

  it('creates a note for admin from a signed webhook, and answers a retry of the same id with 204', async () => {
    const firstAttempt = nowSeconds()
    const res = await send(
      withAddress(await delivery('msg_suite_created', noteEvent('Webhook inbox'), firstAttempt)),
    )
    expect(comparable(res)).toEqual(fromFresh(201, jsonHeaders))
    const note = JSON.parse(res.body) as { id: string; createdAt: string }
    expect(res.body).toBe(
      `{"id":"${note.id}","ownerId":"${webhookNoteOwner}","title":"Webhook inbox","body":"From a webhook","tags":[],"createdAt":"${note.createdAt}"}`,
    )
    // The sender retries: the same id, stamped anew (a second apart, whatever the clock did), so
    // signed anew.
    const retry = await send(
      withAddress(await delivery('msg_suite_created', noteEvent('Webhook inbox'), firstAttempt - 1)),
    )
    expect(comparable(retry)).toEqual(fromFresh(204, emptyHeaders))
    expect(retry.body).toBe('')
    const listed = await send({ target: '/v1/notes', headers: bearer(sessions.admin.access_token) })
    const titles = (JSON.parse(listed.body) as { notes: { title: string }[] }).notes.map((n) => n.title)
    expect(titles.filter((title) => title === 'Webhook inbox')).toEqual(['Webhook inbox'])
  })

  it('refuses the very same webhook delivery sent again with 401 replayed', async () => {
    const request = await delivery('msg_suite_resent', noteEvent('Resent'))
    expect((await send(withAddress(request))).status).toBe(201)
    const res = await send(withAddress(request))
    expect(comparable(res)).toEqual(fromFresh(401, problemHeaders))
    expect(res.body).toBe(refusal('replayed', 'This webhook delivery was already received.'))
  })

  it('refuses a webhook signed with another secret with 401 bad-signature', async () => {
    const other = createWebhookSigner({
      secret: `whsec_${Buffer.from('some other sender, some other key').toString('base64')}`,
    })
    const res = await send(
      withAddress(await delivery('msg_suite_forged', noteEvent('Forged'), nowSeconds(), other)),
    )
    expect(comparable(res)).toEqual(fromFresh(401, problemHeaders))
    expect(res.body).toBe(
      refusal('bad-signature', 'No v1 signature in webhook-signature matches this payload.'),
    )
  })

  it('refuses a webhook stamped more than 5 minutes ago with 401 expired', async () => {
    const res = await send(
      withAddress(await delivery('msg_suite_stale', noteEvent('Stale'), nowSeconds() - 360)),
    )
    expect(comparable(res)).toEqual(fromFresh(401, problemHeaders))
    expect(res.body).toBe(refusal('expired', 'The webhook timestamp is more than 300 seconds old.'))
  })

  it('refuses a webhook event of another type with a 400 validation problem', async () => {
    const res = await send(
      withAddress(await delivery('msg_suite_type', { type: 'note.deleted', data: { title: 't', body: '' } })),
    )
    expect(comparable(res)).toEqual(fromFresh(400, problemHeaders))
    expect(res.body).toBe(validationFailed('body', '/type', 'Expected \\"note.created\\"'))
  })
}
