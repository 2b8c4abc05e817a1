import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { SecConfigError } from '../../errors/index.js'
import { SecProblemError } from '../../problem/index.js'
import { memoryNonceStore } from '../nonce/index.js'
import { decodeBase64 } from './base64.js'
import { contentDigest } from './content-digest.js'
import type { HttpRequestLike } from './http-message.js'
import {
  MessageSignatureError,
  type MessageSignatureRefusal,
  SignatureBaseError,
} from './message-signature-errors.js'
import { type SignMessageOptions, signMessage } from './sign-message.js'
import {
  type MessageSignatureAlgorithm,
  messageSignatureAlgorithms,
  UnsupportedSignatureKeyError,
} from './signature-algorithms.js'
import { createTestKeys, type TestKeyPair } from './test-keys.js'
import { type MessageVerifierOptions, type VerifyMessageContext, verifyMessage } from './verify-message.js'

const now = Date.UTC(2026, 0, 15, 12, 0, 0)
const created = now / 1000
const clock = { now: () => now }
const body = JSON.stringify({ text: 'hello' })
const covered = ['@method', '@authority', '@path', '@query', 'content-type', 'content-digest']

let keys: Readonly<Record<MessageSignatureAlgorithm, TestKeyPair>>
let hmac: TestKeyPair
let digest: string

beforeAll(async () => {
  keys = await createTestKeys()
  hmac = keys['hmac-sha256']
  digest = await contentDigest(body)
})

function lookup(keyId: string): CryptoKey | undefined {
  return Object.values(keys).find((pair) => pair.keyId === keyId)?.verifyKey
}

function request(
  headers: Record<string, string> = {},
  url = 'https://api.example.com/v1/notes?draft=1',
): HttpRequestLike {
  return {
    method: 'POST',
    url,
    headers: new Headers({ 'content-type': 'application/json', 'content-digest': digest, ...headers }),
  }
}

async function signed(
  options: Partial<SignMessageOptions> = {},
  pair: TestKeyPair = hmac,
): Promise<HttpRequestLike> {
  const signature = await signMessage(request(), {
    key: pair.signKey,
    keyId: pair.keyId,
    components: covered,
    created,
    ...options,
  })
  return request({ 'signature-input': signature.signatureInput, signature: signature.signature })
}

function verify(
  message: HttpRequestLike,
  options: Partial<MessageVerifierOptions & VerifyMessageContext> = {},
): ReturnType<typeof verifyMessage> {
  return verifyMessage(message, { keys: lookup, clock, body, ...options })
}

async function refusal(promise: Promise<unknown>): Promise<MessageSignatureRefusal> {
  try {
    await promise
  } catch (error) {
    if (error instanceof MessageSignatureError) return error.reason
    throw error
  }
  throw new Error('expected a refusal')
}

describe('signMessage and verifyMessage', () => {
  it.each(messageSignatureAlgorithms)('round-trips %s', async (algorithm) => {
    const pair = keys[algorithm]
    const signature = await signMessage(request(), {
      key: pair.signKey,
      keyId: pair.keyId,
      components: covered,
      created,
      expiresIn: '5m',
      nonce: 'n-1',
      tag: 'notes-api',
    })
    expect(signature.label).toBe('sig1')
    expect(signature.signatureInput).toBe(
      `sig1=("@method" "@authority" "@path" "@query" "content-type" "content-digest");created=${created};expires=${created + 300};keyid="${pair.keyId}";alg="${algorithm}";nonce="n-1";tag="notes-api"`,
    )
    expect(signature.signatureBase).toBe(
      [
        '"@method": POST',
        '"@authority": api.example.com',
        '"@path": /v1/notes',
        '"@query": ?draft=1',
        '"content-type": application/json',
        `"content-digest": ${digest}`,
        `"@signature-params": ${signature.signatureInput.slice('sig1='.length)}`,
      ].join('\n'),
    )
    const bytes = decodeBase64(signature.signature.slice('sig1=:'.length, -1))
    expect(bytes?.length).toBe(
      { 'hmac-sha256': 32, ed25519: 64, 'ecdsa-p256-sha256': 64, 'rsa-pss-sha512': 256 }[algorithm],
    )
    const message = request({ 'signature-input': signature.signatureInput, signature: signature.signature })
    expect(await verify(message, { nonces: memoryNonceStore({ clock }), tag: 'notes-api' })).toEqual({
      label: 'sig1',
      keyId: pair.keyId,
      algorithm,
      components: covered,
      created,
      expires: created + 300,
      nonce: 'n-1',
      tag: 'notes-api',
      contentDigest: 'verified',
    })
  })

  it('signs and verifies a response, binding it to its request with ;req', async () => {
    const original = await signed()
    const response = new Response('{}', { status: 201, headers: { 'content-type': 'application/json' } })
    const signature = await signMessage(response, {
      key: keys.ed25519.signKey,
      keyId: keys.ed25519.keyId,
      components: ['@status', 'content-type', '@method;req', '@path;req', 'signature;req;key="sig1"'],
      request: original,
      created,
    })
    expect(signature.signatureBase.split('\n').slice(0, 4)).toEqual([
      '"@status": 201',
      '"content-type": application/json',
      '"@method";req: POST',
      '"@path";req: /v1/notes',
    ])
    response.headers.set('signature-input', signature.signatureInput)
    response.headers.set('signature', signature.signature)
    const verified = await verifyMessage(response, { keys: lookup, clock, request: original })
    expect(verified.components).toEqual([
      '@status',
      'content-type',
      '@method;req',
      '@path;req',
      'signature;req;key="sig1"',
    ])
    expect(verified.contentDigest).toBe('not-covered')
    const otherRequest = await signed({ nonce: 'another' })
    expect(await refusal(verifyMessage(response, { keys: lookup, clock, request: otherRequest }))).toBe(
      'bad-signature',
    )
    expect(await refusal(verifyMessage(response, { keys: lookup, clock }))).toBe('bad-signature')
    expect(
      await refusal(verifyMessage(response, { keys: lookup, clock, requiredComponents: ['content-length'] })),
    ).toBe('missing-component')
  })

  it('verifies a Web Request, reading the body only when the digest is covered', async () => {
    const signature = await signMessage(new Request('https://api.example.com/v1/notes'), {
      key: hmac.signKey,
      keyId: hmac.keyId,
      components: ['@method', '@target-uri'],
      created,
    })
    const get = new Request('https://api.example.com/v1/notes', {
      headers: { 'signature-input': signature.signatureInput, signature: signature.signature },
    })
    let reads = 0
    const verified = await verifyMessage(get, {
      keys: lookup,
      clock,
      body: async () => {
        reads++
        return new Uint8Array()
      },
    })
    expect(verified.contentDigest).toBe('not-covered')
    expect(reads).toBe(0)
    const post = new Request('https://api.example.com/v1/notes?draft=1', {
      method: 'POST',
      headers: (await signed()).headers as Headers,
      body,
    })
    expect((await verifyMessage(post, { keys: lookup, clock })).contentDigest).toBe('not-checked')
    expect(
      (await verifyMessage(post, { keys: lookup, clock, body: () => post.clone().arrayBuffer() }))
        .contentDigest,
    ).toBe('verified')
  })

  it('counts @target-uri, @request-target and @query as covering their parts', async () => {
    const whole = await signed({ components: ['@method', '@target-uri'] })
    expect(
      (
        await verify(whole, {
          requiredComponents: [
            '@method',
            '@scheme',
            '@authority',
            '@path',
            '@query',
            '@query-param;name="draft"',
          ],
        })
      ).label,
    ).toBe('sig1')
    const target = await signed({ components: ['@method', '@request-target'] })
    expect((await verify(target, { requiredComponents: ['@path', '@query'] })).label).toBe('sig1')
    expect(await refusal(verify(target))).toBe('missing-component')
    const query = await signed({ components: ['@query'] })
    expect((await verify(query, { requiredComponents: ['@query-param;name="draft"'] })).label).toBe('sig1')
    expect(await refusal(verify(query, { requiredComponents: ['@path'] }))).toBe('missing-component')
  })

  it('picks the signature by label or tag, and accepts the first of several that verifies', async () => {
    const first = await signMessage(request(), {
      key: keys.ed25519.signKey,
      keyId: 'unknown',
      components: covered,
      created,
      label: 'proxy',
      tag: 'edge',
    })
    const second = await signMessage(request(), {
      key: hmac.signKey,
      keyId: hmac.keyId,
      components: covered,
      created,
      label: 'client',
      tag: 'app',
    })
    const both = request({
      'signature-input': `${first.signatureInput}, ${second.signatureInput}`,
      signature: `${first.signature}, ${second.signature}`,
    })
    expect((await verify(both)).label).toBe('client')
    expect((await verify(both, { tag: 'app' })).label).toBe('client')
    expect(await refusal(verify(both, { tag: 'edge' }))).toBe('unknown-key')
    expect(await refusal(verify(both, { label: 'proxy' }))).toBe('unknown-key')
    expect(await refusal(verify(both, { tag: 'other' }))).toBe('missing-header')
    expect(await refusal(verify(both, { label: 'sig1' }))).toBe('missing-header')
  })
})

describe('verification refusals', () => {
  it('missing-header: no signature, one header only, empty headers', async () => {
    const message = await signed()
    const input = message.headers.get('signature-input') as string
    const signature = message.headers.get('signature') as string
    expect(await refusal(verify(request()))).toBe('missing-header')
    expect(await refusal(verify(request({ 'signature-input': input })))).toBe('missing-header')
    expect(await refusal(verify(request({ signature })))).toBe('missing-header')
    expect(await refusal(verify(request({ 'signature-input': '', signature: '' })))).toBe('missing-header')
  })

  it('malformed: invalid fields, repeated labels, a missing signature, bad identifiers and parameters', async () => {
    const message = await signed()
    const input = message.headers.get('signature-input') as string
    const signature = message.headers.get('signature') as string
    const params = input.slice(input.indexOf(')') + 1)
    const cases: Record<string, string>[] = [
      { 'signature-input': 'sig1=', signature },
      { 'signature-input': input, signature: 'sig1=abc' },
      { 'signature-input': `${input}, ${input}`, signature },
      { 'signature-input': input, signature: `${signature}, ${signature}` },
      { 'signature-input': input, signature: 'other=:AAAA:' },
      { 'signature-input': 'sig1="@method"', signature },
      { 'signature-input': `sig1=("@method" "@method")${params}`, signature },
      { 'signature-input': `sig1=("@method" "x-a";tr)${params}`, signature },
      { 'signature-input': `sig1=("@method" @path)${params}`, signature },
      { 'signature-input': `sig1=("@Method")${params}`, signature },
      { 'signature-input': `sig1=("Content-Type")${params}`, signature },
      { 'signature-input': `sig1=("@method");created="${created}";keyid="${hmac.keyId}"`, signature },
      { 'signature-input': `sig1=("@method");created=${created};keyid=k`, signature },
      {
        'signature-input': `sig1=("@method");created=${created};nonce="${'n'.repeat(257)}";keyid="k"`,
        signature,
      },
      {
        'signature-input': Array.from({ length: 9 }, (_, i) => `s${i}=("@method");created=${created}`).join(
          ', ',
        ),
        signature,
      },
    ]
    for (const headers of cases)
      expect(
        await refusal(verify(request(headers), { requiredComponents: [] })),
        JSON.stringify(headers),
      ).toBe('malformed')
  })

  it('expired and future: the window is maxAge after created, expires, and the clock skew', async () => {
    expect(await refusal(verify(await signed({ created: created - 361 })))).toBe('expired')
    expect((await verify(await signed({ created: created - 360 }))).label).toBe('sig1')
    expect(
      await refusal(verify(await signed({ created: created - 62 }), { maxAge: '1s', clockSkew: '1m' })),
    ).toBe('expired')
    expect(
      (await verify(await signed({ created: created - 61 }), { maxAge: '1s', clockSkew: '1m' })).label,
    ).toBe('sig1')
    expect(
      await refusal(verify(await signed({ created: created - 10, expires: created - 5 }), { clockSkew: 0 })),
    ).toBe('expired')
    expect(
      (await verify(await signed({ created: created - 10, expires: created - 5 }), { clockSkew: '5s' }))
        .label,
    ).toBe('sig1')
    expect(await refusal(verify(await signed({ created: created + 61 })))).toBe('future')
    expect((await verify(await signed({ created: created + 60 }))).label).toBe('sig1')
  })

  it('unknown-key and algorithm-mismatch', async () => {
    expect(await refusal(verify(await signed({ keyId: 'nobody' })))).toBe('unknown-key')
    const noKeyId = (await signed()).headers.get('signature-input')?.replace(/;keyid="[^"]*"/, '') as string
    expect(await refusal(verify(request({ 'signature-input': noKeyId, signature: 'sig1=:AAAA:' })))).toBe(
      'unknown-key',
    )
    const edAsHmac = await signed({ keyId: hmac.keyId }, keys.ed25519)
    expect(await refusal(verify(edAsHmac))).toBe('algorithm-mismatch')
    const message = await signed()
    const foreign = (message.headers.get('signature-input') as string).replace(
      'alg="hmac-sha256"',
      'alg="rsa-v1_5-sha256"',
    )
    expect(
      await refusal(
        verify(
          request({ 'signature-input': foreign, signature: message.headers.get('signature') as string }),
        ),
      ),
    ).toBe('algorithm-mismatch')
    const seen: [string, string | undefined][] = []
    await verify(await signed({ includeAlg: false }), {
      keys: (keyId, alg) => {
        seen.push([keyId, alg])
        return lookup(keyId)
      },
    })
    await verify(await signed(), {
      keys: (keyId, alg) => {
        seen.push([keyId, alg])
        return lookup(keyId)
      },
    })
    expect(seen).toEqual([
      [hmac.keyId, undefined],
      [hmac.keyId, 'hmac-sha256'],
    ])
  })

  it('bad-signature: a changed covered component, a removed one, a changed signature', async () => {
    const message = await signed()
    const input = message.headers.get('signature-input') as string
    const signature = message.headers.get('signature') as string
    const tampered = request({ 'signature-input': input, signature, 'content-type': 'text/plain' })
    expect(await refusal(verify(tampered))).toBe('bad-signature')
    const moved = request({ 'signature-input': input, signature }, 'https://api.example.com/v1/notes?draft=2')
    expect(await refusal(verify(moved))).toBe('bad-signature')
    const removed = request({ 'signature-input': input, signature })
    removed.headers instanceof Headers && removed.headers.delete('content-type')
    expect(await refusal(verify(removed))).toBe('bad-signature')
    expect(await refusal(verify(request({ 'signature-input': input, signature: 'sig1=:AAAA:' })))).toBe(
      'bad-signature',
    )
  })

  it('missing-component: a required component not covered, no created, no nonce with a nonce store', async () => {
    expect(await refusal(verify(await signed({ components: ['@method', '@path'] })))).toBe(
      'missing-component',
    )
    expect(await refusal(verify(await signed({ created: false })))).toBe('missing-component')
    expect(await refusal(verify(await signed(), { nonces: memoryNonceStore({ clock }) }))).toBe(
      'missing-component',
    )
  })

  it('digest-mismatch: a body that does not match the signed Content-Digest', async () => {
    expect(await refusal(verify(await signed(), { body: `${body} ` }))).toBe('digest-mismatch')
    expect(await refusal(verify(await signed(), { body: new Uint8Array() }))).toBe('digest-mismatch')
  })

  it('replayed: a nonce is accepted once per key, for as long as the signature could be', async () => {
    let time = now
    const nonces = memoryNonceStore({ clock: { now: () => time } })
    const message = await signed({ nonce: 'once' })
    expect((await verify(message, { nonces })).nonce).toBe('once')
    expect(await refusal(verify(message, { nonces }))).toBe('replayed')
    expect((await verify(await signed({ nonce: 'once' }, keys.ed25519), { nonces })).keyId).toBe(
      keys.ed25519.keyId,
    )
    time = now + 360_000
    expect(await refusal(verify(message, { nonces, clock: { now: () => time } }))).toBe('replayed')
    time = now + 360_001
    expect(await refusal(verify(message, { nonces, clock: { now: () => time } }))).toBe('expired')
    const recorded: [string, number][] = []
    await verify(await signed({ nonce: 'n:2', expiresIn: '30s' }), {
      nonces: {
        record: (key, ttl) => {
          recorded.push([key, ttl])
          return true
        },
      },
    })
    expect(recorded).toEqual([[`rfc9421:${hmac.keyId.length}:${hmac.keyId}:n:2`, 90_001]])
  })

  it('turns a failing nonce store into a 503 problem, checked only once the signature verified', async () => {
    let calls = 0
    const failing = {
      record: () => {
        calls++
        throw new Error('store down')
      },
    }
    await expect(verify(await signed({ nonce: 'n' }), { nonces: failing })).rejects.toSatisfy(
      (error) =>
        error instanceof SecProblemError &&
        error.problem.status === 503 &&
        error.problem.type === 'urn:sec:problem:auth-unavailable',
    )
    expect(await refusal(verify(await signed({ nonce: 'n' }), { nonces: failing, body: 'other' }))).toBe(
      'digest-mismatch',
    )
    expect(calls).toBe(1)
  })

  it('throws rather than refuses when the lookup returns a key of no supported algorithm', async () => {
    const p384 = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-384' }, false, [
      'sign',
      'verify',
    ])) as CryptoKeyPair
    await expect(verify(await signed(), { keys: () => p384.publicKey })).rejects.toBeInstanceOf(
      UnsupportedSignatureKeyError,
    )
    await expect(verify(await signed(), { keys: () => hmac.signKey })).rejects.toMatchObject({
      code: 'SEC_SIGNATURE_KEY',
    })
    await expect(verify(await signed(), { keys: () => keys.ed25519.signKey })).rejects.toMatchObject({
      code: 'SEC_SIGNATURE_KEY',
    })
  })
})

describe('option errors', () => {
  it('names the signing option at fault', async () => {
    const base = { key: hmac.signKey, keyId: hmac.keyId, components: covered, created }
    const cases: [Record<string, unknown>, string][] = [
      [{ extra: 1 }, 'signMessage.extra'],
      [{ key: 'secret' }, 'signMessage.key'],
      [{ key: hmac.verifyKey }, 'signMessage.key'],
      [{ key: keys.ed25519.verifyKey }, 'signMessage.key'],
      [{ algorithm: 'ed25519' }, 'signMessage.algorithm'],
      [{ algorithm: 'rsa-v1_5-sha256' }, 'signMessage.algorithm'],
      [{ components: ['@method', '@unknown'] }, 'signMessage.components[1]'],
      [{ components: ['@method', 'x-a;tr'] }, 'signMessage.components[1]'],
      [{ components: ['@path', '"@path"'] }, 'signMessage.components[1]'],
      [{ keyId: 'clé' }, 'signMessage.keyId'],
      [{ label: 'Sig1' }, 'signMessage.label'],
      [{ nonce: 'a\nb' }, 'signMessage.nonce'],
      [{ created: 1.5 }, 'signMessage.created'],
      [{ expires: created }, 'signMessage.expires'],
      [{ expires: created + 10, expiresIn: '5m' }, 'signMessage.expiresIn'],
      [{ created: false, expiresIn: '5m' }, 'signMessage.expiresIn'],
      [{ expiresIn: '5 minutes' }, 'signMessage.expiresIn'],
      [{ structuredFields: { 'Example-Dict': 'dictionary' } }, 'signMessage.structuredFields.Example-Dict'],
      [{ structuredFields: { 'example-dict': 'map' } }, 'signMessage.structuredFields.example-dict'],
    ]
    for (const [extra, path] of cases) {
      const error = await signMessage(request(), { ...base, ...extra } as SignMessageOptions).then(
        () => undefined,
        (e: unknown) => e,
      )
      expect(error, path).toBeInstanceOf(SecConfigError)
      expect((error as SecConfigError).path).toBe(path)
    }
  })

  it('refuses to sign a message that lacks a covered component', async () => {
    const options = { key: hmac.signKey, keyId: hmac.keyId, created }
    await expect(signMessage(request(), { ...options, components: ['x-missing'] })).rejects.toMatchObject({
      code: 'SEC_SIGNATURE_BASE',
      kind: 'absent',
    })
    await expect(signMessage(request(), { ...options, components: ['@status'] })).rejects.toBeInstanceOf(
      SignatureBaseError,
    )
    await expect(
      signMessage(
        { method: 'GET', url: '/relative', headers: new Headers() },
        { ...options, components: [] },
      ),
    ).rejects.toMatchObject({ code: 'SEC_SIGNATURE_BASE' })
  })

  it('names the verifier option at fault', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ keys: {} }, 'createMessageVerifier.keys'],
      [{ requiredComponents: ['@nope'] }, 'createMessageVerifier.requiredComponents[0]'],
      [{ requiredComponents: ['@status', '@method'] }, 'createMessageVerifier.requiredComponents'],
      [{ maxAge: 'forever' }, 'createMessageVerifier.maxAge'],
      [{ clockSkew: -1 }, 'createMessageVerifier.clockSkew'],
      [{ nonces: new Map() }, 'createMessageVerifier.nonces'],
      [{ tag: 'é' }, 'createMessageVerifier.tag'],
      [{ window: '5m' }, 'createMessageVerifier.window'],
    ]
    for (const [extra, path] of cases) {
      const error = await verify(await signed(), extra).then(
        () => undefined,
        (e: unknown) => e,
      )
      expect(error, path).toBeInstanceOf(SecConfigError)
      expect((error as SecConfigError).path).toBe(path)
    }
  })
})

const token = fc.stringMatching(/^[a-z0-9]{1,8}$/)
interface RequestShape {
  readonly method: string
  readonly host: string
  readonly path: string
  readonly query: readonly (readonly [string, string])[]
  readonly a: string
  readonly b: string
}
const headerText = fc.string({
  unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)),
  maxLength: 12,
})
const requestArbitrary: fc.Arbitrary<RequestShape> = fc.record({
  method: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE'),
  host: fc.constantFrom('api.example.com', 'api.example.com:8443', 'example.org'),
  path: fc.array(token, { minLength: 1, maxLength: 3 }).map((segments) => `/${segments.join('/')}`),
  query: fc.array(fc.tuple(token, token), { maxLength: 3 }),
  a: headerText,
  b: headerText,
})

function buildRequest(shape: RequestShape, headers: Record<string, string> = {}): HttpRequestLike {
  const query =
    shape.query.length === 0 ? '' : `?${new URLSearchParams(shape.query as [string, string][]).toString()}`
  return {
    method: shape.method,
    url: `https://${shape.host}${shape.path}${query}`,
    headers: new Headers({ 'x-a': shape.a, 'x-b': shape.b, ...headers }),
  }
}

describe('properties', () => {
  it('any change to a covered component fails verification', async () => {
    await fc.assert(
      fc.asyncProperty(
        requestArbitrary,
        fc.constantFrom('method', 'host', 'path', 'query', 'a', 'b'),
        fc.string({ minLength: 1, maxLength: 4, unit: fc.constantFrom('x', 'y', '1', '/') }),
        async (shape, part, change) => {
          const signature = await signMessage(buildRequest(shape), {
            key: hmac.signKey,
            keyId: hmac.keyId,
            components: ['@method', '@authority', '@path', '@query', 'x-a', 'x-b'],
            created,
          })
          const headers = { 'signature-input': signature.signatureInput, signature: signature.signature }
          expect((await verify(buildRequest(shape, headers), { requiredComponents: [] })).label).toBe('sig1')
          const changed: RequestShape = {
            ...shape,
            ...(part === 'method' && { method: shape.method === 'GET' ? 'HEAD' : 'GET' }),
            ...(part === 'host' && { host: `x${shape.host}` }),
            ...(part === 'path' && { path: `${shape.path}${change}` }),
            ...(part === 'query' && {
              query: [...shape.query, ['z', change.replaceAll('/', 'q')] as const],
            }),
            ...(part === 'a' && { a: `${shape.a}${change}` }),
            ...(part === 'b' && { b: `${change}${shape.b}` }),
          }
          expect(await refusal(verify(buildRequest(changed, headers), { requiredComponents: [] }))).toBe(
            'bad-signature',
          )
        },
      ),
      { numRuns: 150 },
    )
  })

  it('any change to the body fails the signed Content-Digest', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 256 }),
        fc.nat(),
        fc.constantFrom('flip', 'append', 'truncate'),
        fc.constantFrom('sha-256', 'sha-512'),
        async (bytes, position, change, algorithm) => {
          const headers = { 'content-digest': await contentDigest(bytes, algorithm) }
          const message = {
            method: 'PUT',
            url: 'https://api.example.com/v1/notes/1',
            headers: new Headers(headers),
          }
          const signature = await signMessage(message, {
            key: hmac.signKey,
            keyId: hmac.keyId,
            components: ['content-digest'],
            created,
          })
          const sent = new Headers({
            ...headers,
            'signature-input': signature.signatureInput,
            signature: signature.signature,
          })
          const received = { ...message, headers: sent }
          const options = { requiredComponents: ['content-digest'], body: bytes }
          expect((await verify(received, options)).contentDigest).toBe('verified')
          let other: Uint8Array
          if (change === 'append' || bytes.length === 0) other = Uint8Array.of(...bytes, position & 0xff)
          else if (change === 'truncate') other = bytes.slice(0, position % bytes.length)
          else {
            other = bytes.slice()
            const i = position % bytes.length
            other[i] = (other[i] as number) ^ 1
          }
          expect(await refusal(verify(received, { ...options, body: other }))).toBe('digest-mismatch')
        },
      ),
      { numRuns: 150 },
    )
  })

  it('accepts a signature exactly inside its created, expires, maxAge and skew window', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: -1000, max: 200 }),
        fc.option(fc.integer({ min: 1, max: 1200 }), { nil: undefined }),
        fc.integer({ min: 0, max: 600 }),
        fc.integer({ min: 0, max: 120 }),
        fc.integer({ min: -999, max: 999 }),
        async (createdOffset, lifetime, maxAge, skew, millis) => {
          const at = now + millis
          const signedAt = created + createdOffset
          const expires = lifetime === undefined ? undefined : signedAt + lifetime
          const message = await signed({ created: signedAt, ...(expires !== undefined && { expires }) })
          const options = { maxAge: maxAge * 1000, clockSkew: skew * 1000, clock: { now: () => at } }
          const deadline = Math.min(
            (signedAt + maxAge + skew) * 1000,
            expires === undefined ? Number.POSITIVE_INFINITY : (expires + skew) * 1000,
          )
          const expected =
            signedAt * 1000 > at + skew * 1000 ? 'future' : at > deadline ? 'expired' : 'accepted'
          const outcome = await verify(message, options).then(
            () => 'accepted',
            (error: unknown) => (error instanceof MessageSignatureError ? error.reason : 'thrown'),
          )
          expect(outcome).toBe(expected)
        },
      ),
      { numRuns: 200 },
    )
  })
})
