import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { body } from '../../body/index.js'
import { SecConfigError } from '../../errors/index.js'
import type { SecurityEvent } from '../../events/index.js'
import { createSecurity, type Guard, type Outcome, type RandomSource } from '../../pipeline/index.js'
import { fromWebRequest } from '../../request/index.js'
import type { NonceStore } from '../nonce/index.js'
import { createSigner, type FetchLike, type SignerOptions } from './signer.js'
import { type SigV4GuardOptions, sigv4 } from './sigv4-guard.js'

const now = Date.UTC(2026, 0, 15, 12, 0, 0)
const clients = new Map([
  ['AKIDTEST', { secrets: ['secret-0123456789'], owner: 'svc-importer', scopes: ['notes:write'] }],
])

let nonces = 0
const random: RandomSource = (bytes) => {
  bytes.fill(7)
  new DataView(bytes.buffer).setUint32(0, ++nonces)
  return bytes
}

const signerOptions: SignerOptions = {
  accessKeyId: 'AKIDTEST',
  secretAccessKey: 'secret-0123456789',
  region: 'eu',
  service: 'notes',
  clock: { now: () => now },
  random,
}

function guard(extra: Partial<SigV4GuardOptions> = {}): Guard {
  return sigv4({ credentials: (id) => clients.get(id), region: 'eu', service: 'notes', ...extra })
}

/** A fetch that answers with what the server side decided for the request it was given. */
function serverFetch(guards: readonly Guard[], security = createSecurity({ clock: { now: () => now } })) {
  const outcomes: Outcome[] = []
  const fetch: FetchLike = async (input, init) => {
    const sent = new Request(input, init)
    const headers = new Headers(sent.headers)
    headers.set('host', new URL(sent.url).host)
    const outcome = await security.protect(fromWebRequest(new Request(sent, { headers })), { guards })
    outcomes.push(outcome)
    const early = outcome.response
    return early === undefined ? new Response(null) : new Response(early.body, early)
  }
  return { fetch, outcomes }
}

const problemHeaders = {
  'cache-control': 'no-store',
  'content-type': 'application/problem+json',
  'www-authenticate': 'AWS4-HMAC-SHA256 realm="api"',
}

async function answer(response: Response) {
  return {
    status: response.status,
    headers: Object.fromEntries(response.headers),
    body: await response.text(),
  }
}

const problemBody = (reason: string, detail: string) =>
  JSON.stringify({ detail, reason, type: 'urn:sec:problem:unauthorized', title: 'Unauthorized', status: 401 })

describe('sigv4 guard', () => {
  it('lets a request signed through signedFetch in, with the client as principal', async () => {
    const server = serverFetch([guard(), body()])
    const fetchSigned = createSigner(signerOptions).signedFetch(server.fetch)
    const response = await fetchSigned('https://api.example.com/v1/signed/notes?draft=1', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-tenant': 'acme' },
      body: JSON.stringify({ title: 'Signed' }),
    })
    expect(await answer(response)).toEqual({ status: 200, headers: {}, body: '' })
    const [outcome] = server.outcomes
    expect(outcome?.verdict).toBe('allow')
    expect(outcome?.principal).toEqual({
      id: 'svc-importer',
      kind: 'client',
      scopes: ['notes:write'],
      accessKeyId: 'AKIDTEST',
    })
    expect(outcome?.facts.sigv4).toEqual({
      accessKeyId: 'AKIDTEST',
      presigned: false,
      signedAt: now,
      expiresAt: undefined,
    })
    expect(outcome?.body).toEqual({ title: 'Signed' })
  })

  it('signs streamed bodies and keeps the rest of the request', async () => {
    const server = serverFetch([guard()])
    const fetchSigned = createSigner(signerOptions).signedFetch(server.fetch)
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('part 1, '))
        controller.enqueue(new TextEncoder().encode('part 2'))
        controller.close()
      },
    })
    const response = await fetchSigned(
      new Request('https://api.example.com/v1/upload', {
        method: 'PUT',
        body: stream,
        duplex: 'half',
      } as RequestInit),
    )
    expect(response.status).toBe(200)
  })

  it('challenges an unsigned request with a 401 problem and WWW-Authenticate', async () => {
    const server = serverFetch([guard({ realm: 'notes' })])
    const response = await server.fetch('https://api.example.com/v1/signed/notes')
    expect(await answer(response)).toEqual({
      status: 401,
      headers: { ...problemHeaders, 'www-authenticate': 'AWS4-HMAC-SHA256 realm="notes"' },
      body: problemBody(
        'missing-header',
        'This request must be signed: send an Authorization header (AWS4-HMAC-SHA256) or use a presigned URL.',
      ),
    })
    expect(server.outcomes[0]?.verdict).toBe('challenge')
    expect(server.outcomes[0]?.reason).toBe('unauthorized')
  })

  it('refuses a replay, a tampered body and a stale request with their reasons', async () => {
    const server = serverFetch([guard()])
    const signer = createSigner(signerOptions)
    const url = 'https://api.example.com/v1/signed/notes'
    const payload = '{"title":"Once"}'
    const headers = await signer.sign({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/json' },
      body: payload,
    })
    const send = (text: string) =>
      server.fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: text,
      })
    expect((await send('{"title":"Evil"}')).status).toBe(401)
    expect((await send(payload)).status).toBe(200)
    expect(await answer(await send(payload))).toEqual({
      status: 401,
      headers: problemHeaders,
      body: problemBody('replayed', 'This request was already received: its nonce can be used once.'),
    })
    expect(server.outcomes[0]?.problem).toMatchObject({ reason: 'body-mismatch' })
    const stale = createSigner({ ...signerOptions, clock: { now: () => now - 301_000 } })
    const old = await stale.sign({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/json' },
      body: payload,
    })
    const response = await server.fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...old },
      body: payload,
    })
    expect(await answer(response)).toEqual({
      status: 401,
      headers: problemHeaders,
      body: problemBody('expired', "The request time is more than 300 seconds from the server's."),
    })
  })

  it('never repeats the expected signature or a secret in a refusal', async () => {
    const server = serverFetch([guard()])
    const url = 'https://api.example.com/v1/signed/notes'
    const headers = await createSigner({ ...signerOptions, secretAccessKey: 'wrong-secret-xyz' }).sign({
      url,
    })
    const response = await server.fetch(url, { headers })
    const text = await response.text()
    expect(text).toBe(problemBody('bad-signature', 'The signature does not match the request.'))
    expect(text).not.toContain('secret')
  })

  it('accepts a presigned URL until it expires, once', async () => {
    const at = { now }
    const security = createSecurity({ clock: { now: () => at.now } })
    const server = serverFetch([guard()], security)
    const url = await createSigner(signerOptions).presign(
      { url: 'https://api.example.com/v1/files/report.pdf' },
      { expiresIn: 60 },
    )
    at.now = now + 60_000
    expect((await server.fetch(url)).status).toBe(200)
    expect(server.outcomes[0]?.facts.sigv4).toEqual({
      accessKeyId: 'AKIDTEST',
      presigned: true,
      signedAt: now,
      expiresAt: now + 60_000,
    })
    expect(await answer(await server.fetch(url))).toMatchObject({
      status: 401,
      body: problemBody('replayed', 'This request was already received: its nonce can be used once.'),
    })
    const later = await createSigner(signerOptions).presign(
      { url: 'https://api.example.com/v1/files/report.pdf' },
      { expiresIn: 60 },
    )
    at.now = now + 60_001
    expect(await answer(await server.fetch(later))).toEqual({
      status: 401,
      headers: problemHeaders,
      body: problemBody('expired', 'The presigned URL has expired.'),
    })
    at.now = now
    const tampered = later.replace('report.pdf', 'secret.pdf')
    expect(await answer(await server.fetch(tampered))).toMatchObject({
      body: problemBody('bad-signature', 'The signature does not match the request.'),
    })
    const early = await createSigner({ ...signerOptions, clock: { now: () => now + 301_000 } }).presign({
      url: 'https://api.example.com/x',
    })
    expect(await answer(await server.fetch(early))).toMatchObject({
      body: problemBody('expired', 'The presigned URL is not valid yet.'),
    })
    const tooLong = (await createSigner(signerOptions).presign({ url: 'https://api.example.com/x' })).replace(
      'X-Amz-Expires=900',
      'X-Amz-Expires=604801',
    )
    expect(await answer(await server.fetch(tooLong))).toMatchObject({
      body: problemBody('malformed', 'X-Amz-Expires must be whole seconds from 1 to 604800.'),
    })
  })

  it('refuses presigned URLs when told to', async () => {
    const server = serverFetch([guard({ presigned: false })])
    const url = await createSigner(signerOptions).presign({ url: 'https://api.example.com/x' })
    expect(await answer(await server.fetch(url))).toEqual({
      status: 401,
      headers: problemHeaders,
      body: problemBody(
        'malformed',
        'Presigned URLs are not accepted here: sign with the Authorization header.',
      ),
    })
  })

  it('answers 413 for a body over maxBodyBytes, and 503 when the nonce store fails', async () => {
    const url = 'https://api.example.com/v1/signed/notes'
    const payload = 'x'.repeat(65)
    const signer = createSigner(signerOptions)
    const small = serverFetch([guard({ maxBodyBytes: '64b' })])
    const headers = await signer.sign({ method: 'POST', url, body: payload })
    const response = await small.fetch(url, { method: 'POST', headers, body: payload })
    expect(await answer(response)).toEqual({
      status: 413,
      headers: { 'cache-control': 'no-store', 'content-type': 'application/problem+json' },
      body: JSON.stringify({
        detail: 'The body exceeds 64 bytes.',
        type: 'urn:sec:problem:body-too-large',
        title: 'Content Too Large',
        status: 413,
      }),
    })
    const store: NonceStore = { record: () => Promise.reject(new Error('down')) }
    const down = serverFetch([guard({ nonce: { store } })])
    const fresh = await signer.sign({ url })
    expect(await answer(await down.fetch(url, { headers: fresh }))).toEqual({
      status: 503,
      headers: {
        'cache-control': 'no-store',
        'content-type': 'application/problem+json',
        'retry-after': '5',
      },
      body: JSON.stringify({
        detail: 'Signed requests cannot be checked for replays right now. Retry later.',
        type: 'urn:sec:problem:auth-unavailable',
        title: 'Authentication Unavailable',
        status: 503,
      }),
    })
  })

  it("reads the body within the pipeline's bodyLimit by default, and lets a failing lookup be a 500", async () => {
    const url = 'https://api.example.com/v1/signed/notes'
    const payload = 'x'.repeat(11)
    const limited = serverFetch([guard()], createSecurity({ clock: { now: () => now }, bodyLimit: 10 }))
    const headers = await createSigner(signerOptions).sign({ method: 'POST', url, body: payload })
    expect((await limited.fetch(url, { method: 'POST', headers, body: payload })).status).toBe(413)
    const broken = serverFetch([
      guard({
        credentials: () => {
          throw new Error('database password is hunter2')
        },
      }),
    ])
    const response = await broken.fetch(url, { headers: await createSigner(signerOptions).sign({ url }) })
    expect(response.status).toBe(500)
    const problem = JSON.parse(await response.text()) as Record<string, unknown>
    expect(Object.keys(problem)).toEqual(['correlationId', 'type', 'title', 'status'])
  })

  it('answers any Authorization value with a 401 problem, never an error', async () => {
    const server = serverFetch([guard()])
    const url = 'https://api.example.com/v1/signed/notes'
    const valid = await createSigner(signerOptions).sign({ url })
    const latin1 = fc.string({
      unit: fc.integer({ min: 0x20, max: 0xff }).map((c) => String.fromCharCode(c)),
      maxLength: 200,
    })
    const near = fc
      .tuple(fc.nat({ max: 300 }), latin1)
      .map(([cut, insert]) => (valid.Authorization ?? '').slice(0, cut) + insert)
    await fc.assert(
      fc.asyncProperty(fc.oneof(latin1, near), async (authorization) => {
        const response = await server.fetch(url, { headers: { ...valid, authorization } })
        const text = await response.text()
        expect(response.status).toBe(401)
        expect(response.headers.get('www-authenticate')).toBe('AWS4-HMAC-SHA256 realm="api"')
        expect(JSON.parse(text)).toMatchObject({ type: 'urn:sec:problem:unauthorized', status: 401 })
      }),
      { numRuns: 300 },
    )
  })

  it('handles huge and non-ASCII headers', async () => {
    const server = serverFetch([guard()])
    const url = 'https://api.example.com/v1/signed/notes'
    const headers = { 'x-big': 'b'.repeat(64 * 1024), 'x-name': 'Zoë   Ångström' }
    const signed = await createSigner(signerOptions).sign({ url, headers })
    expect((await server.fetch(url, { headers: { ...headers, ...signed } })).status).toBe(200)
    const huge = `AWS4-HMAC-SHA256 Credential=${'A'.repeat(200_000)}`
    expect(await answer(await server.fetch(url, { headers: { authorization: huge } }))).toEqual({
      status: 401,
      headers: problemHeaders,
      body: problemBody('malformed', 'The Authorization header is not a valid AWS4-HMAC-SHA256 credential.'),
    })
  })

  it('emits auth.rejected with the reason and access key id on each refusal, and nothing without a signature', async () => {
    const events: SecurityEvent[] = []
    const security = createSecurity({ clock: { now: () => now }, events: (event) => void events.push(event) })
    const server = serverFetch([guard()], security)
    const url = 'https://api.example.com/v1/signed/notes'
    const signer = createSigner(signerOptions)
    expect((await server.fetch(url)).status).toBe(401)
    const headers = await signer.sign({ url })
    expect((await server.fetch(url, { headers })).status).toBe(200)
    expect((await server.fetch(url, { headers })).status).toBe(401)
    const unknown = await createSigner({ ...signerOptions, accessKeyId: 'AKIDUNKNOWN' }).sign({ url })
    expect((await server.fetch(url, { headers: unknown })).status).toBe(401)
    const forged = await createSigner({ ...signerOptions, secretAccessKey: 'wrong-secret-xyz' }).sign({ url })
    expect((await server.fetch(url, { headers: forged })).status).toBe(401)
    const garbage = { ...(await signer.sign({ url })), authorization: 'AWS4-HMAC-SHA256 Credential=x' }
    expect((await server.fetch(url, { headers: garbage })).status).toBe(401)
    const presigned = await signer.presign(
      { url: 'https://api.example.com/v1/files/a.pdf' },
      { expiresIn: 60 },
    )
    expect((await server.fetch(presigned.replace('a.pdf', 'b.pdf'))).status).toBe(401)
    expect(events).toEqual([
      {
        type: 'auth.rejected',
        scheme: 'sigv4',
        reason: 'replayed',
        keyId: 'AKIDTEST',
        time: now,
        requestId: expect.any(String),
        method: 'GET',
        path: '/v1/signed/notes',
        clientIp: undefined,
      },
      expect.objectContaining({ scheme: 'sigv4', reason: 'unknown-key', keyId: 'AKIDUNKNOWN' }),
      expect.objectContaining({ scheme: 'sigv4', reason: 'bad-signature', keyId: 'AKIDTEST' }),
      expect.objectContaining({ scheme: 'sigv4', reason: 'malformed', keyId: undefined }),
      expect.objectContaining({
        scheme: 'sigv4',
        reason: 'bad-signature',
        keyId: 'AKIDTEST',
        path: '/v1/files/b.pdf',
      }),
    ])
    const logged = JSON.stringify(events)
    expect(logged).not.toContain('secret')
    expect(logged).not.toContain(/Signature=([0-9a-f]{64})/.exec(forged.Authorization ?? '')?.[1])
  })

  it('refuses bad options at construction', () => {
    expect(() => sigv4({ credentials: () => undefined, region: 'eu' } as never)).toThrow(
      new SecConfigError('sigv4.service', "is required, e.g. 'execute-api'."),
    )
    expect(() => guard({ realm: 'a"b' })).toThrow('sigv4.realm: Expected printable ASCII without " or \\.')
    expect(() => guard({ maxBodyBytes: -1 })).toThrow(
      'sigv4.maxBodyBytes: must be a whole, non-negative number of bytes; got -1.',
    )
    expect(() => guard({ nonce: { header: 'X Nonce' } })).toThrow(
      'sigv4.nonce.header: Expected 1 to 64 letters, digits or -',
    )
  })
})
