import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { SecConfigError } from '../../errors/index.js'
import type { SecurityEvent } from '../../events/index.js'
import { createSecurity, type Guard, type Outcome } from '../../pipeline/index.js'
import { fromWebRequest, type SecurityRequest } from '../../request/index.js'
import { memoryNonceStore } from '../nonce/index.js'
import { contentDigest } from './content-digest.js'
import type { MessageSignatureRefusal } from './message-signature-errors.js'
import { type MessageSignatureGuardOptions, messageSignature } from './message-signature-guard.js'
import { type SignMessageOptions, signMessage } from './sign-message.js'
import type { MessageSignatureAlgorithm } from './signature-algorithms.js'
import { createTestKeys, type TestKeyPair } from './test-keys.js'

const now = Date.UTC(2026, 0, 15, 12, 0, 0)
const created = now / 1000
const clock = { now: () => now }
const origin = 'https://api.example.com'
const noteBody = JSON.stringify({ text: 'hello' })
const fullCoverage = ['@method', '@authority', '@path', '@query', 'content-type', 'content-digest']

let keys: Readonly<Record<MessageSignatureAlgorithm, TestKeyPair>>
let hmac: TestKeyPair

beforeAll(async () => {
  keys = await createTestKeys()
  hmac = keys['hmac-sha256']
})

function lookup(keyId: string): CryptoKey | undefined {
  return Object.values(keys).find((pair) => pair.keyId === keyId)?.verifyKey
}

interface Send {
  readonly method?: string
  readonly path?: string
  readonly body?: string
  readonly digestOf?: string
  readonly headers?: Record<string, string>
  readonly sign?: Partial<SignMessageOptions> | false
  /** Leave the nonce out. */
  readonly nonce?: false
  readonly pair?: TestKeyPair
}

/** A Web Request as a client sends it: Host set, a Content-Digest for a body, signed unless `sign: false`. */
async function clientRequest(send: Send = {}): Promise<Request> {
  const method = send.method ?? (send.body === undefined ? 'GET' : 'POST')
  const headers = new Headers({ host: 'api.example.com', ...send.headers })
  if (send.body !== undefined) {
    headers.set('content-type', 'application/json')
    headers.set('content-digest', await contentDigest(send.digestOf ?? send.body))
  }
  const url = `${origin}${send.path ?? '/v1/notes?draft=1'}`
  if (send.sign !== false) {
    const pair = send.pair ?? hmac
    const signature = await signMessage(
      { method, url, headers },
      {
        key: pair.signKey,
        keyId: pair.keyId,
        components: send.body === undefined ? ['@method', '@authority', '@path', '@query'] : fullCoverage,
        created,
        ...(send.nonce !== false && { nonce: crypto.randomUUID() }),
        ...send.sign,
      },
    )
    headers.set('signature-input', signature.signatureInput)
    headers.set('signature', signature.signature)
  }
  return new Request(url, { method, headers, ...(send.body !== undefined && { body: send.body }) })
}

function guardWith(options: Partial<MessageSignatureGuardOptions> = {}): Guard {
  return messageSignature({ keys: lookup, nonces: memoryNonceStore({ clock }), ...options })
}

async function protect(
  request: Request | SecurityRequest,
  guard: Guard = guardWith(),
  bodyLimit?: number,
): Promise<Outcome> {
  const security = createSecurity({ guards: [guard], clock, ...(bodyLimit !== undefined && { bodyLimit }) })
  return security.protect(request instanceof Request ? fromWebRequest(request) : request)
}

const problemHeaders = { 'cache-control': 'no-store', 'content-type': 'application/problem+json' }

const details: Record<MessageSignatureRefusal, string> = {
  'missing-header':
    'This resource needs an HTTP message signature: Signature-Input and Signature headers (RFC 9421).',
  malformed: 'The Signature-Input or Signature header is not valid.',
  expired: 'The message signature has expired.',
  future: 'The message signature was created in the future.',
  'unknown-key': 'The message signature names no known key.',
  'algorithm-mismatch': 'The message signature names another algorithm than its key.',
  'bad-signature': 'The message signature does not verify.',
  'missing-component':
    'The message signature does not cover every component or parameter this resource requires.',
  'digest-mismatch': 'The body does not match its Content-Digest.',
  replayed: 'The message signature was already used.',
}

function expectRefusal(outcome: Outcome, reason: MessageSignatureRefusal): void {
  expect(outcome.verdict).toBe('challenge')
  expect(outcome.response?.status).toBe(401)
  expect(Object.fromEntries(outcome.response?.headers ?? [])).toEqual(problemHeaders)
  expect(outcome.response?.body).toBe(
    JSON.stringify({
      detail: details[reason],
      reason,
      type: 'urn:sec:problem:unauthorized',
      title: 'Unauthorized',
      status: 401,
    }),
  )
  expect(outcome.facts.messageSignature).toEqual({ rejected: reason })
}

describe('messageSignature guard', () => {
  it('authenticates a signed GET and records what verified', async () => {
    const outcome = await protect(await clientRequest())
    expect(outcome.verdict).toBe('allow')
    expect(outcome.response).toBeUndefined()
    expect(outcome.principal).toEqual({
      id: hmac.keyId,
      kind: 'message-signature',
      keyId: hmac.keyId,
      algorithm: 'hmac-sha256',
    })
    expect(outcome.facts.messageSignature).toMatchObject({
      label: 'sig1',
      keyId: hmac.keyId,
      components: ['@method', '@authority', '@path', '@query'],
      created,
      contentDigest: 'not-covered',
    })
  })

  it.each(['hmac-sha256', 'ed25519', 'ecdsa-p256-sha256', 'rsa-pss-sha512'] as const)(
    'authenticates a signed POST whose body matches its Content-Digest (%s)',
    async (algorithm) => {
      const outcome = await protect(await clientRequest({ body: noteBody, pair: keys[algorithm] }))
      expect(outcome.verdict).toBe('allow')
      expect(outcome.principal?.algorithm).toBe(algorithm)
      expect(outcome.facts.messageSignature).toMatchObject({
        contentDigest: 'verified',
        components: fullCoverage,
      })
    },
  )

  it('refuses a missing signature with 401 missing-header', async () => {
    expectRefusal(await protect(await clientRequest({ sign: false })), 'missing-header')
    const onlyInput = await clientRequest()
    onlyInput.headers.delete('signature')
    expectRefusal(await protect(onlyInput), 'missing-header')
  })

  it('refuses each failed check with its reason', async () => {
    expectRefusal(
      await protect(await clientRequest({ body: noteBody, digestOf: 'other' })),
      'digest-mismatch',
    )
    expectRefusal(await protect(await clientRequest({ sign: { created: created - 3600 } })), 'expired')
    expectRefusal(await protect(await clientRequest({ sign: { created: created + 3600 } })), 'future')
    expectRefusal(await protect(await clientRequest({ sign: { keyId: 'nobody' } })), 'unknown-key')
    expectRefusal(
      await protect(await clientRequest({ sign: { keyId: hmac.keyId }, pair: keys.ed25519 })),
      'algorithm-mismatch',
    )
    expectRefusal(
      await protect(await clientRequest({ sign: { components: ['@method', '@path'] } })),
      'missing-component',
    )
    expectRefusal(await protect(await clientRequest({ nonce: false })), 'missing-component')
    const tampered = await clientRequest()
    tampered.headers.set('signature', 'sig1=:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=:')
    expectRefusal(await protect(tampered), 'bad-signature')
    const moved = await clientRequest()
    expectRefusal(
      await protect(new Request(`${origin}/v1/notes?draft=2`, { headers: moved.headers })),
      'bad-signature',
    )
    const malformed = await clientRequest()
    malformed.headers.set('signature-input', 'sig1=("@method" "@method");created=1')
    expectRefusal(await protect(malformed), 'malformed')
  })

  it('refuses a replayed request', async () => {
    const guard = guardWith()
    const request = await clientRequest()
    const replay = request.clone()
    expect((await protect(request, guard)).verdict).toBe('allow')
    expectRefusal(await protect(replay, guard), 'replayed')
  })

  it('emits auth.rejected with the reason and keyid on each refusal, and nothing without a signature', async () => {
    const events: SecurityEvent[] = []
    const security = createSecurity({
      guards: [guardWith()],
      clock,
      events: (event) => void events.push(event),
    })
    const send = async (request: Request) =>
      (await security.protect(fromWebRequest(request))).response?.status
    expect(await send(await clientRequest({ sign: false }))).toBe(401)
    const request = await clientRequest()
    const replay = request.clone()
    expect(await send(request)).toBe(undefined)
    expect(await send(replay)).toBe(401)
    expect(await send(await clientRequest({ sign: { keyId: 'nobody' } }))).toBe(401)
    expect(await send(await clientRequest({ body: noteBody, digestOf: 'other' }))).toBe(401)
    const tampered = await clientRequest()
    tampered.headers.set('signature', 'sig1=:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=:')
    expect(await send(tampered)).toBe(401)
    const malformed = await clientRequest()
    malformed.headers.set('signature-input', 'sig1=("@method" "@method");created=1')
    expect(await send(malformed)).toBe(401)
    const onlyInput = await clientRequest()
    onlyInput.headers.delete('signature')
    expect(await send(onlyInput)).toBe(401)
    expect(events).toEqual([
      {
        type: 'auth.rejected',
        scheme: 'message-signature',
        reason: 'replayed',
        keyId: hmac.keyId,
        time: now,
        requestId: expect.any(String),
        method: 'GET',
        path: '/v1/notes',
        clientIp: undefined,
      },
      expect.objectContaining({ reason: 'unknown-key', keyId: 'nobody' }),
      expect.objectContaining({ reason: 'digest-mismatch', keyId: hmac.keyId, method: 'POST' }),
      expect.objectContaining({ reason: 'bad-signature', keyId: hmac.keyId }),
      expect.objectContaining({ reason: 'malformed', keyId: undefined }),
      expect.objectContaining({ reason: 'missing-header', keyId: undefined }),
    ])
    expect(JSON.stringify(events)).not.toContain('AAAAAAAAAAAAAAAA')
  })

  it('requires a covered Content-Digest for requests with a body, unless told otherwise', async () => {
    const uncovered = { body: noteBody, sign: { components: ['@method', '@authority', '@path', '@query'] } }
    expectRefusal(await protect(await clientRequest(uncovered)), 'missing-component')
    expect(
      (await protect(await clientRequest(uncovered), guardWith({ requireContentDigest: 'never' }))).verdict,
    ).toBe('allow')
    expectRefusal(
      await protect(await clientRequest(), guardWith({ requireContentDigest: 'always' })),
      'missing-component',
    )
    const digested = await clientRequest({
      method: 'GET',
      headers: { 'content-digest': await contentDigest('') },
      sign: { components: ['@method', '@authority', '@path', '@query', 'content-digest'] },
    })
    expect((await protect(digested, guardWith({ requireContentDigest: 'always' }))).verdict).toBe('allow')
    const emptyPost = await clientRequest({ method: 'POST', headers: { 'content-length': '0' } })
    expect((await protect(emptyPost)).verdict).toBe('allow')
    const chunked = await clientRequest({ method: 'GET', headers: { 'transfer-encoding': 'chunked' } })
    expectRefusal(await protect(chunked), 'missing-component')
    const lying = await clientRequest({
      body: noteBody,
      sign: { components: ['@method', '@authority', '@path', '@query', 'content-digest'] },
      digestOf: 'x',
    })
    expectRefusal(await protect(lying, guardWith({ requireContentDigest: 'never' })), 'digest-mismatch')
  })

  it('reads the body within its limit: a larger one is a 413', async () => {
    const outcome = await protect(await clientRequest({ body: noteBody }), guardWith({ bodyLimit: 4 }))
    expect(outcome.response?.status).toBe(413)
    expect(JSON.parse(outcome.response?.body ?? '{}')).toMatchObject({
      type: 'urn:sec:problem:body-too-large',
    })
    const pipelineLimit = await protect(await clientRequest({ body: noteBody }), guardWith(), 4)
    expect(pipelineLimit.response?.status).toBe(413)
  })

  it('takes @authority and @scheme from a trusted proxy', async () => {
    const request = await clientRequest({
      headers: { 'x-forwarded-host': 'api.example.com', 'x-forwarded-proto': 'https' },
    })
    const internal = new Request('http://10.0.0.5:3000/v1/notes?draft=1', { headers: request.headers })
    internal.headers.set('host', '10.0.0.5:3000')
    const security = createSecurity({ guards: [guardWith()], clock, trustProxy: ['loopback'] })
    expect((await security.protect(fromWebRequest(internal, { remoteAddress: '127.0.0.1' }))).verdict).toBe(
      'allow',
    )
    const direct = createSecurity({ guards: [guardWith()], clock })
    const outcome = await direct.protect(fromWebRequest(internal.clone(), { remoteAddress: '127.0.0.1' }))
    expectRefusal(outcome, 'bad-signature')
  })

  it('names the option at fault', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ clock }, 'messageSignature.clock'],
      [{ windows: 1 }, 'messageSignature.windows'],
      [{ requireContentDigest: 'sometimes' }, 'messageSignature.requireContentDigest'],
      [{ bodyLimit: -1 }, 'messageSignature.bodyLimit'],
      [{ requiredComponents: ['@status'] }, 'messageSignature.requiredComponents'],
      [{ label: 'Sig' }, 'messageSignature.label'],
      [{ keys: undefined }, 'messageSignature.keys'],
    ]
    for (const [extra, path] of cases) {
      let error: unknown
      try {
        messageSignature({ keys: lookup, ...extra } as MessageSignatureGuardOptions)
      } catch (caught) {
        error = caught
      }
      expect(error, path).toBeInstanceOf(SecConfigError)
      expect((error as SecConfigError).path).toBe(path)
    }
  })
})

function rawRequest(headers: Record<string, readonly string[]>): SecurityRequest {
  const byName = new Map(Object.entries(headers).map(([name, lines]) => [name.toLowerCase(), lines]))
  return {
    method: 'GET',
    target: '/v1/notes',
    headers: {
      get: (name) => byName.get(name.toLowerCase())?.join(', ') ?? null,
      getAll: (name) => byName.get(name.toLowerCase()) ?? [],
      has: (name) => byName.has(name.toLowerCase()),
    },
    remoteAddress: '127.0.0.1',
    encrypted: true,
    body: async () => new Uint8Array(),
  }
}

const reasons = Object.keys(details)

function expectProblem(outcome: Outcome): void {
  expect(outcome.response?.status).toBe(401)
  const problem = JSON.parse(outcome.response?.body ?? '{}') as { reason: string; type: string }
  expect(problem.type).toBe('urn:sec:problem:unauthorized')
  expect(reasons).toContain(problem.reason)
}

describe('malformed signature headers', () => {
  const sfChars = fc.constantFrom(...'sig1=()";:,?*-0123456789abc@ \tAZ\\/=+%'.split(''))
  const latin1 = fc.string({
    unit: fc.integer({ min: 0x20, max: 0xff }).map((c) => String.fromCharCode(c)),
    maxLength: 80,
  })
  const unicode = fc.string({ unit: 'grapheme', maxLength: 40 })
  const sfLike = fc.string({ unit: sfChars, maxLength: 80 })

  it('answers random Signature-Input and Signature values with a 401 problem, never a 500', async () => {
    const guard = guardWith()
    await fc.assert(
      fc.asyncProperty(fc.oneof(latin1, sfLike), fc.oneof(latin1, sfLike), async (input, signature) => {
        const request = new Request(`${origin}/v1/notes`, {
          headers: { host: 'api.example.com', 'signature-input': input.trim(), signature: signature.trim() },
        })
        expectProblem(await protect(request, guard))
      }),
      { numRuns: 300 },
    )
  })

  it('answers unicode, repeated lines and huge values with a 401 problem', async () => {
    const guard = guardWith()
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(unicode, sfLike), { minLength: 1, maxLength: 3 }),
        fc.array(unicode, { maxLength: 3 }),
        async (inputs, signatures) => {
          expectProblem(
            await protect(
              rawRequest({ host: ['api.example.com'], 'signature-input': inputs, signature: signatures }),
              guard,
            ),
          )
        },
      ),
      { numRuns: 200 },
    )
    const valid = await clientRequest()
    const input = valid.headers.get('signature-input') as string
    const signature = valid.headers.get('signature') as string
    const cases: Record<string, readonly string[]>[] = [
      { 'signature-input': [input, input], signature: [signature] },
      { 'signature-input': [input], signature: [signature, signature] },
      {
        'signature-input': [input, input.replace('sig1', 'sig2')],
        signature: [signature, signature.replace('sig1', 'sig2')],
      },
      { 'signature-input': [`${input}${';a=1'.repeat(50_000)}`], signature: [signature] },
      { 'signature-input': [`sig1=(${'"@method" '.repeat(50_000)})`], signature: [signature] },
      { 'signature-input': [input], signature: [`sig1=:${'A'.repeat(1_000_000)}:`] },
      { 'signature-input': ['x'.repeat(1_000_000)], signature: [signature] },
      { 'signature-input': [input.replace('"@path"', '"@path" "\u00e9"')], signature: [signature] },
      {
        'signature-input': [input.replace('"@path"', '"@query-param";name="\u00e9"')],
        signature: [signature],
      },
    ]
    for (const headers of cases)
      expectProblem(await protect(rawRequest({ host: ['api.example.com'], ...headers }), guard))
    const outcome = await protect(
      rawRequest({ host: ['api.example.com'], 'signature-input': [input, input], signature: [signature] }),
      guard,
    )
    expect(JSON.parse(outcome.response?.body ?? '{}')).toMatchObject({ reason: 'malformed' })
  })
})
