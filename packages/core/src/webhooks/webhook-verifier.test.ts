import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import vector from '../../../../../shared/conformance/vectors/standard-webhooks.json'
import { SecConfigError } from '../errors/index.js'
import { SecProblemError } from '../problem/index.js'
import { memoryNonceStore } from '../signing/nonce/index.js'
import { WebhookInputError } from './webhook-input-error.js'
import { WebhookVerificationError } from './webhook-refusal.js'
import { generateWebhookSecret } from './webhook-secret.js'
import { createWebhookSigner } from './webhook-signer.js'
import { createWebhookVerifier, verifyWebhook } from './webhook-verifier.js'

const at = (seconds: number) => ({ now: () => seconds * 1000 })
const vectorHeaders = {
  'webhook-id': vector.id,
  'webhook-timestamp': String(vector.timestamp),
  'webhook-signature': vector.signature,
}

async function refusal(promise: Promise<unknown>): Promise<WebhookVerificationError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  )
  if (!(error instanceof WebhookVerificationError))
    throw new Error(`expected a refusal, got ${String(error)}`)
  return error
}

const idArbitrary = fc
  .array(fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-:~!'), {
    minLength: 1,
    maxLength: 40,
  })
  .map((chars) => chars.join(''))
const payloadArbitrary = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.json(),
  fc.uint8Array({ maxLength: 200 }),
)
const secondsArbitrary = fc.integer({ min: 1_000_000_000, max: 4_000_000_000 })

describe('the Standard Webhooks known-answer vector', () => {
  it('reproduces the signature exactly', async () => {
    const signer = createWebhookSigner({ secret: vector.secret })
    expect(await signer.sign({ id: vector.id, timestamp: vector.timestamp, payload: vector.body })).toEqual(
      vectorHeaders,
    )
    expect(
      await signer.sign({
        id: vector.id,
        timestamp: vector.timestamp,
        payload: new TextEncoder().encode(vector.body),
      }),
    ).toEqual(vectorHeaders)
  })

  it('verifies it, as a string and as the raw bytes', async () => {
    const verifier = createWebhookVerifier({ secrets: [vector.secret], clock: at(vector.timestamp) })
    const expected = { id: vector.id, timestamp: vector.timestamp, secretIndex: 0 }
    expect(await verifier.verify({ headers: vectorHeaders, payload: vector.body })).toEqual(expected)
    expect(
      await verifier.verify({
        headers: new Headers(vectorHeaders),
        payload: new TextEncoder().encode(vector.body),
      }),
    ).toEqual(expected)
    expect(
      await verifyWebhook(
        { headers: vectorHeaders, payload: vector.body },
        { secrets: [vector.secret], clock: at(vector.timestamp) },
      ),
    ).toEqual(expected)
  })

  it('stamps the signer clock when no timestamp is given', async () => {
    const signer = createWebhookSigner({
      secret: vector.secret,
      clock: { now: () => vector.timestamp * 1000 + 999 },
    })
    expect(await signer.sign({ id: vector.id, payload: vector.body })).toEqual(vectorHeaders)
  })
})

describe('createWebhookVerifier', () => {
  const verifier = createWebhookVerifier({ secrets: [vector.secret], clock: at(vector.timestamp) })

  it('reads header names in any case from a plain object, and arrays as field lines', async () => {
    const headers = {
      'Webhook-Id': vector.id,
      'WEBHOOK-TIMESTAMP': String(vector.timestamp),
      'webhook-signature': ['v1a,ignored', vector.signature],
    }
    expect((await verifier.verify({ headers, payload: vector.body })).id).toBe(vector.id)
  })

  it('skips other versions and unreadable entries, and accepts any matching v1', async () => {
    const valid = vector.signature
    for (const signature of [
      `v1,${'A'.repeat(43)}= ${valid}`,
      `v1a,hnO3f9T8Ytu9HwrXslvumlUpqtNVqkhqw/enGzPCXe5BdqzCInXqYXFymVJaA7AZdpXwVLPo3mNl8EM+m7TBAg== ${valid}`,
      `v2,abc ${valid} v1,zzz`,
      `  ${valid}  `,
      `${valid}, v1,other`,
      `v1,other, ${valid}`,
      `garbage ${valid}`,
    ]) {
      const headers = { ...vectorHeaders, 'webhook-signature': signature }
      expect((await verifier.verify({ headers, payload: vector.body })).secretIndex, signature).toBe(0)
    }
  })

  it('refuses each failed check with its reason and a 401 problem', async () => {
    const cases: [Record<string, string>, string, string][] = [
      [{ 'webhook-id': '' }, 'missing-header', 'The webhook-id header is missing.'],
      [{ 'webhook-timestamp': '' }, 'missing-header', 'The webhook-timestamp header is missing.'],
      [{ 'webhook-signature': '' }, 'missing-header', 'The webhook-signature header is missing.'],
      [
        { 'webhook-id': 'msg.1' },
        'malformed',
        "The webhook-id header must be 1 to 256 visible ASCII characters, without '.'.",
      ],
      [
        { 'webhook-id': 'msg 1' },
        'malformed',
        "The webhook-id header must be 1 to 256 visible ASCII characters, without '.'.",
      ],
      [
        { 'webhook-id': 'm'.repeat(257) },
        'malformed',
        "The webhook-id header must be 1 to 256 visible ASCII characters, without '.'.",
      ],
      [
        { 'webhook-timestamp': '1614265330.5' },
        'malformed',
        'The webhook-timestamp header must be a Unix time in whole seconds.',
      ],
      [
        { 'webhook-timestamp': '01614265330' },
        'malformed',
        'The webhook-timestamp header must be a Unix time in whole seconds.',
      ],
      [
        { 'webhook-timestamp': '+1614265330' },
        'malformed',
        'The webhook-timestamp header must be a Unix time in whole seconds.',
      ],
      [
        { 'webhook-timestamp': '1614265330abc' },
        'malformed',
        'The webhook-timestamp header must be a Unix time in whole seconds.',
      ],
      [
        { 'webhook-timestamp': '1614265330, 1614265330' },
        'malformed',
        'The webhook-timestamp header must be a Unix time in whole seconds.',
      ],
      [
        { 'webhook-signature': 'v1' },
        'malformed',
        'The webhook-signature header holds no signature of the form v1,<base64>.',
      ],
      [
        { 'webhook-signature': 'v1=abc' },
        'malformed',
        'The webhook-signature header holds no signature of the form v1,<base64>.',
      ],
      [
        { 'webhook-timestamp': String(vector.timestamp - 301) },
        'expired',
        'The webhook timestamp is more than 300 seconds old.',
      ],
      [
        { 'webhook-timestamp': String(vector.timestamp + 301) },
        'future',
        "The webhook timestamp is more than 300 seconds ahead of the receiver's clock.",
      ],
      [
        { 'webhook-signature': 'v1a,abc=' },
        'bad-signature',
        'No v1 signature in webhook-signature matches this payload.',
      ],
      [
        { 'webhook-signature': `v1,${'A'.repeat(43)}=` },
        'bad-signature',
        'No v1 signature in webhook-signature matches this payload.',
      ],
    ]
    for (const [change, reason, detail] of cases) {
      const error = await refusal(
        verifier.verify({ headers: { ...vectorHeaders, ...change }, payload: vector.body }),
      )
      expect(error.reason, JSON.stringify(change)).toBe(reason)
      expect(error).toBeInstanceOf(SecProblemError)
      expect(error.code).toBe('SEC_UNAUTHORIZED')
      expect(error.problem).toEqual({
        detail,
        reason,
        type: 'urn:sec:problem:unauthorized',
        title: 'Unauthorized',
        status: 401,
      })
    }
  })

  it('refuses absent headers', async () => {
    expect((await refusal(verifier.verify({ headers: {}, payload: vector.body }))).reason).toBe(
      'missing-header',
    )
    expect((await refusal(verifier.verify({ headers: new Headers(), payload: '' }))).reason).toBe(
      'missing-header',
    )
  })

  it('refuses an id or a timestamp sent on two field lines', async () => {
    for (const name of ['webhook-id', 'webhook-timestamp'] as const) {
      const headers = { ...vectorHeaders, [name]: [vectorHeaders[name], vectorHeaders[name]] }
      const error = await refusal(verifier.verify({ headers, payload: vector.body }))
      expect(error.reason).toBe('malformed')
      expect(error.problem.detail).toBe(`The ${name} header must appear once.`)
    }
  })

  it('accepts the edges of the window and refuses one second past them', async () => {
    const verify = (seconds: number) =>
      createWebhookVerifier({ secrets: [vector.secret], clock: { now: () => seconds } }).verify({
        headers: vectorHeaders,
        payload: vector.body,
      })
    expect((await verify((vector.timestamp + 300) * 1000 + 999)).id).toBe(vector.id)
    expect((await verify((vector.timestamp - 300) * 1000)).id).toBe(vector.id)
    expect((await refusal(verify((vector.timestamp + 301) * 1000))).reason).toBe('expired')
    expect((await refusal(verify((vector.timestamp - 301) * 1000 + 999))).reason).toBe('future')
    expect(
      (
        await verifier.verify(
          { headers: vectorHeaders, payload: vector.body },
          { now: (vector.timestamp + 60) * 1000 },
        )
      ).timestamp,
    ).toBe(vector.timestamp)
  })

  it('applies a custom tolerance', async () => {
    const strict = createWebhookVerifier({
      secrets: [vector.secret],
      tolerance: '30s',
      clock: at(vector.timestamp + 31),
    })
    const error = await refusal(strict.verify({ headers: vectorHeaders, payload: vector.body }))
    expect(error.reason).toBe('expired')
    expect(error.problem.detail).toBe('The webhook timestamp is more than 30 seconds old.')
  })

  it('refuses the same id twice with a replay store, and only once the signature checked out', async () => {
    const replay = memoryNonceStore({ clock: at(vector.timestamp) })
    const guarded = createWebhookVerifier({ secrets: [vector.secret], clock: at(vector.timestamp), replay })
    const forged = { ...vectorHeaders, 'webhook-signature': `v1,${'A'.repeat(43)}=` }
    expect((await refusal(guarded.verify({ headers: forged, payload: vector.body }))).reason).toBe(
      'bad-signature',
    )
    expect((await guarded.verify({ headers: vectorHeaders, payload: vector.body })).id).toBe(vector.id)
    const error = await refusal(guarded.verify({ headers: vectorHeaders, payload: vector.body }))
    expect(error.reason).toBe('replayed')
    expect(error.problem.detail).toBe('This webhook delivery was already received.')
  })

  it('refuses a payload that is not the raw body', async () => {
    const parsed = JSON.parse(vector.body) as unknown as string
    await expect(verifier.verify({ headers: vectorHeaders, payload: parsed })).rejects.toBeInstanceOf(
      WebhookInputError,
    )
    await expect(verifier.verify({ headers: vectorHeaders, payload: parsed })).rejects.toMatchObject({
      code: 'SEC_WEBHOOK_INPUT',
    })
  })

  it('checks its options at construction, naming the option and never quoting the secret', () => {
    const secret = generateWebhookSecret()
    const cases: [unknown, string][] = [
      [{}, 'createWebhookVerifier.secrets'],
      [{ secrets: [] }, 'createWebhookVerifier.secrets'],
      [{ secrets: [secret, 'MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'] }, 'createWebhookVerifier.secrets[1]'],
      [{ secrets: [secret, 'whsec_not base64!'] }, 'createWebhookVerifier.secrets[1]'],
      [{ secrets: ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS'] }, 'createWebhookVerifier.secrets[0]'],
      [{ secrets: ['whsec_AAAAAAAAAAAAAAAAAAAAAA=='] }, 'createWebhookVerifier.secrets[0]'],
      [{ secrets: [new Uint8Array(23)] }, 'createWebhookVerifier.secrets[0]'],
      [{ secrets: [42] }, 'createWebhookVerifier.secrets[0]'],
      [{ secrets: secret }, 'createWebhookVerifier.secrets'],
      [{ secrets: [secret], tolerance: '0s' }, 'createWebhookVerifier.tolerance'],
      [{ secrets: [secret], tolerance: '2d' }, 'createWebhookVerifier.tolerance'],
      [{ secrets: [secret], tolerance: '5 minutes' }, 'createWebhookVerifier.tolerance'],
      [{ secrets: [secret], replay: {} }, 'createWebhookVerifier.replay'],
      [{ secrets: [secret], clock: {} }, 'createWebhookVerifier.clock'],
      [{ secrets: [secret], secret }, 'createWebhookVerifier.secret'],
    ]
    for (const [options, path] of cases) {
      const error = (() => {
        try {
          createWebhookVerifier(options as never)
        } catch (thrown) {
          return thrown
        }
        return undefined
      })()
      expect(error, path).toBeInstanceOf(SecConfigError)
      expect((error as SecConfigError).path).toBe(path)
      expect((error as SecConfigError).message).not.toContain(secret.slice(6))
    }
    expect(() => createWebhookVerifier({ secrets: ['MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'] })).toThrow(
      "createWebhookVerifier.secrets[0]: must start with 'whsec_' followed by the key in base64",
    )
  })

  it('rejects a bad secret from verifyWebhook instead of throwing synchronously', async () => {
    await expect(
      verifyWebhook({ headers: vectorHeaders, payload: '' }, { secrets: ['nope'] }),
    ).rejects.toMatchObject({
      path: 'verifyWebhook.secrets[0]',
    })
  })
})

describe('properties', () => {
  const secret = vector.secret
  const signer = createWebhookSigner({ secret })

  it('verifies every signed message, as the string or its bytes', async () => {
    await fc.assert(
      fc.asyncProperty(idArbitrary, secondsArbitrary, payloadArbitrary, async (id, timestamp, payload) => {
        const headers = await signer.sign({ id, timestamp, payload })
        const verifier = createWebhookVerifier({ secrets: [secret], clock: at(timestamp) })
        expect(await verifier.verify({ headers, payload })).toEqual({ id, timestamp, secretIndex: 0 })
        const bytes = typeof payload === 'string' ? new TextEncoder().encode(payload) : payload
        expect((await verifier.verify({ headers, payload: bytes })).id).toBe(id)
      }),
      { numRuns: 150 },
    )
  })

  it('refuses any change to the id, the timestamp, the payload or the signature', async () => {
    await fc.assert(
      fc.asyncProperty(
        idArbitrary,
        idArbitrary,
        secondsArbitrary,
        fc.integer({ min: -300, max: 300 }).filter((shift) => shift !== 0),
        fc.string({ maxLength: 100 }),
        fc.string({ maxLength: 100 }),
        fc.nat({ max: 42 }),
        async (id, otherId, timestamp, shift, payload, otherPayload, position) => {
          const headers = await signer.sign({ id, timestamp, payload })
          const verifier = createWebhookVerifier({ secrets: [secret], clock: at(timestamp) })
          const reasonOf = async (changed: Record<string, string>, body = payload) =>
            (await refusal(verifier.verify({ headers: { ...headers, ...changed }, payload: body }))).reason
          if (otherId !== id) expect(await reasonOf({ 'webhook-id': otherId })).toBe('bad-signature')
          expect(await reasonOf({ 'webhook-timestamp': String(timestamp + shift) })).toBe('bad-signature')
          if (otherPayload !== payload) expect(await reasonOf({}, otherPayload)).toBe('bad-signature')
          const signature = headers['webhook-signature']
          const index = 3 + position
          const original = signature.charAt(index)
          const replacement = original === 'A' ? 'B' : 'A'
          const tampered = signature.slice(0, index) + replacement + signature.slice(index + 1)
          expect(await reasonOf({ 'webhook-signature': tampered })).toBe('bad-signature')
        },
      ),
      { numRuns: 100 },
    )
  })

  it('refuses every timestamp outside the tolerance, in either direction', async () => {
    const verifier = createWebhookVerifier({ secrets: [secret], tolerance: '5m', clock: at(1_700_000_000) })
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 301, max: 10_000_000 }), fc.boolean(), async (distance, past) => {
        const timestamp = past ? 1_700_000_000 - distance : 1_700_000_000 + distance
        const headers = await signer.sign({ id: 'msg_1', timestamp, payload: '{}' })
        const error = await refusal(verifier.verify({ headers, payload: '{}' }))
        expect(error.reason).toBe(past ? 'expired' : 'future')
      }),
      { numRuns: 100 },
    )
  })

  it('accepts the old and the new secret while both are configured, and only those', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 24, maxLength: 64 }),
        fc.uint8Array({ minLength: 24, maxLength: 64 }),
        fc.string({ maxLength: 50 }),
        async (oldKey, newKey, payload) => {
          fc.pre(oldKey.join() !== newKey.join())
          const message = { id: 'msg_rotation', timestamp: 1_700_000_000, payload }
          const clock = at(1_700_000_000)
          const both = createWebhookVerifier({ secrets: [newKey, oldKey], clock })
          const fromOld = await createWebhookSigner({ secret: oldKey }).sign(message)
          const fromNew = await createWebhookSigner({ secret: newKey }).sign(message)
          const fromBoth = await createWebhookSigner({ secret: [oldKey, newKey] }).sign(message)
          expect((await both.verify({ headers: fromOld, payload })).secretIndex).toBe(1)
          expect((await both.verify({ headers: fromNew, payload })).secretIndex).toBe(0)
          expect((await both.verify({ headers: fromBoth, payload })).secretIndex).toBe(0)
          const newOnly = createWebhookVerifier({ secrets: [newKey], clock })
          expect((await refusal(newOnly.verify({ headers: fromOld, payload }))).reason).toBe('bad-signature')
          expect((await newOnly.verify({ headers: fromBoth, payload })).secretIndex).toBe(0)
        },
      ),
      { numRuns: 50 },
    )
  })

  it('answers arbitrary headers with a refusal or a result, never another error', async () => {
    const verifier = createWebhookVerifier({ secrets: [secret], clock: at(vector.timestamp) })
    const value = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 300 }),
      fc.constantFrom(vector.id, String(vector.timestamp), vector.signature, ''),
      fc.array(fc.string({ maxLength: 40 }), { maxLength: 3 }),
    )
    await fc.assert(
      fc.asyncProperty(
        fc.record(
          { 'webhook-id': value, 'webhook-timestamp': value, 'webhook-signature': value },
          { requiredKeys: [] },
        ),
        fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.uint8Array({ maxLength: 200 })),
        async (headers, payload) => {
          try {
            await verifier.verify({ headers, payload })
          } catch (error) {
            expect(error).toBeInstanceOf(WebhookVerificationError)
            expect((error as WebhookVerificationError).problem.status).toBe(401)
          }
        },
      ),
      { numRuns: 500 },
    )
  })

  it('handles huge headers in linear time', async () => {
    const verifier = createWebhookVerifier({ secrets: [secret], clock: at(vector.timestamp) })
    const huge = [
      { ...vectorHeaders, 'webhook-signature': `${'v1,AAAA '.repeat(100_000)}${vector.signature}` },
      { ...vectorHeaders, 'webhook-signature': 'v1,'.repeat(300_000) },
      { ...vectorHeaders, 'webhook-signature': `v1,${'A'.repeat(1_000_000)}` },
      { ...vectorHeaders, 'webhook-signature': ' '.repeat(1_000_000) },
      { ...vectorHeaders, 'webhook-id': 'a'.repeat(1_000_000) },
      { ...vectorHeaders, 'webhook-timestamp': '9'.repeat(1_000_000) },
    ]
    const reasons = []
    for (const headers of huge)
      reasons.push(
        await verifier.verify({ headers, payload: vector.body }).then(
          (verified) => verified.secretIndex,
          (error: WebhookVerificationError) => error.reason,
        ),
      )
    expect(reasons).toEqual([0, 'malformed', 'bad-signature', 'missing-header', 'malformed', 'malformed'])
  })
})
