import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { SecConfigError } from '../errors/index.js'
import { memoryNonceStore } from '../signing/nonce/index.js'
import {
  createStripeWebhookVerifier,
  signStripePayload,
  stripeSecretKey,
  verifyStripeSignature,
} from './stripe-webhook-verifier.js'
import { WebhookInputError } from './webhook-input-error.js'
import { WebhookVerificationError } from './webhook-refusal.js'

const secret = 'whsec_test_secret'
const other = 'whsec_other_secret_0123456789'
const payload = '{"id":"evt_test_webhook","object":"event"}'
const t = 1614265330
// Computed outside this code: `createHmac('sha256', 'whsec_test_secret').update('1614265330.' + payload).digest('hex')`,
// as stripe-node's NodeCryptoProvider does (and `openssl dgst -sha256 -hmac` agrees).
const knownSignature = '3c5817089d739023dd6190f70a3757e04f7a2fd8b5dab12c2e000f51970dccff'
const at = (seconds: number) => ({ now: () => seconds * 1000 })

async function refusal(promise: Promise<unknown>): Promise<WebhookVerificationError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  )
  if (!(error instanceof WebhookVerificationError))
    throw new Error(`expected a refusal, got ${String(error)}`)
  return error
}

describe('signStripePayload', () => {
  it('uses the whole whsec_ string as the HMAC key and writes hex, as stripe-node does', async () => {
    expect(await signStripePayload(payload, secret, { timestamp: t })).toBe(`t=${t},v1=${knownSignature}`)
    expect(await signStripePayload(new TextEncoder().encode(payload), secret, { timestamp: t })).toBe(
      `t=${t},v1=${knownSignature}`,
    )
    expect(await signStripePayload(payload, secret, { clock: { now: () => t * 1000 + 999 } })).toBe(
      `t=${t},v1=${knownSignature}`,
    )
  })

  it('refuses bad input', async () => {
    await expect(signStripePayload(payload, 'sk_test_123')).rejects.toMatchObject({
      path: 'signStripePayload.secret',
    })
    await expect(signStripePayload(payload, secret, { timestamp: 1.5 })).rejects.toMatchObject({
      path: 'signStripePayload.timestamp',
    })
    await expect(signStripePayload({} as unknown as string, secret)).rejects.toBeInstanceOf(WebhookInputError)
  })
})

describe('verifyStripeSignature', () => {
  const header = `t=${t},v1=${knownSignature}`

  it('accepts the known signature, among others and beside other schemes', async () => {
    for (const value of [
      header,
      `t=${t},v1=${'0'.repeat(64)},v1=${knownSignature},v0=${'1'.repeat(64)}`,
      ` t=${t} , v1=${knownSignature} `,
      `v1=${knownSignature},t=${t}`,
      [`t=${t}`, `v1=${knownSignature}`],
      `${header}, ${header}`,
    ]) {
      expect(await verifyStripeSignature(payload, value, secret, { clock: at(t) }), String(value)).toEqual({
        timestamp: t,
        secretIndex: 0,
      })
    }
    expect(await verifyStripeSignature(payload, header, [other, secret], { clock: at(t + 300) })).toEqual({
      timestamp: t,
      secretIndex: 1,
    })
  })

  it('refuses each failed check with its reason', async () => {
    const cases: [string | null | undefined, string, string, number?, string?][] = [
      [undefined, 'missing-header', 'The Stripe-Signature header is missing.'],
      [null, 'missing-header', 'The Stripe-Signature header is missing.'],
      ['  ', 'missing-header', 'The Stripe-Signature header is missing.'],
      [
        `v1=${knownSignature}`,
        'malformed',
        'The Stripe-Signature header needs exactly one timestamp, t=<Unix seconds>.',
      ],
      [
        `t=${t},t=${t + 1},v1=${knownSignature}`,
        'malformed',
        'The Stripe-Signature header needs exactly one timestamp, t=<Unix seconds>.',
      ],
      [
        `t=abc,v1=${knownSignature}`,
        'malformed',
        'The Stripe-Signature header needs exactly one timestamp, t=<Unix seconds>.',
      ],
      [header, 'expired', 'The Stripe-Signature timestamp is more than 300 seconds old.', t + 301],
      [
        header,
        'future',
        "The Stripe-Signature timestamp is more than 300 seconds ahead of the receiver's clock.",
        t - 301,
      ],
      [
        `t=${t},v0=${knownSignature}`,
        'bad-signature',
        'The Stripe-Signature header carries no v1 signature.',
      ],
      [
        `t=${t},v1=${knownSignature.toUpperCase()}`,
        'bad-signature',
        'No v1 signature in Stripe-Signature matches this payload.',
      ],
      [
        `t=${t + 1},v1=${knownSignature}`,
        'bad-signature',
        'No v1 signature in Stripe-Signature matches this payload.',
      ],
      [
        header,
        'bad-signature',
        'No v1 signature in Stripe-Signature matches this payload.',
        t,
        `${payload}\n`,
      ],
    ]
    for (const [value, reason, detail, now = t, body = payload] of cases) {
      const error = await refusal(verifyStripeSignature(body, value, secret, { clock: at(now) }))
      expect(error.reason, String(value)).toBe(reason)
      expect(error.problem).toEqual({
        detail,
        reason,
        type: 'urn:sec:problem:unauthorized',
        title: 'Unauthorized',
        status: 401,
      })
      expect(JSON.stringify(error.problem)).not.toContain(knownSignature)
    }
  })

  it('refuses the same delivery twice with a replay store, but not a retry with a new t', async () => {
    const replay = memoryNonceStore({ clock: at(t) })
    const verifier = createStripeWebhookVerifier({ secrets: [secret], replay, clock: at(t) })
    expect((await verifier.verify(payload, header)).timestamp).toBe(t)
    expect((await refusal(verifier.verify(payload, header))).reason).toBe('replayed')
    const retry = await signStripePayload(payload, secret, { timestamp: t + 60 })
    expect((await verifier.verify(payload, retry)).timestamp).toBe(t + 60)
  })

  it('checks the secrets, naming the one at fault', async () => {
    const cases: [unknown, string, string][] = [
      [[], 'verifyStripeSignature.secrets', 'is required'],
      ['sk_live_123', 'verifyStripeSignature.secrets[0]', 'an API key such as sk_… does not sign webhooks'],
      [[secret, `${other}\n`], 'verifyStripeSignature.secrets[1]', 'without spaces or newlines'],
      [[secret, 'whsec_'], 'verifyStripeSignature.secrets[1]', 'followed by visible characters'],
    ]
    for (const [secrets, path, message] of cases) {
      const error = await verifyStripeSignature(payload, header, secrets as string[]).then(
        () => undefined,
        (thrown: unknown) => thrown,
      )
      expect(error).toBeInstanceOf(SecConfigError)
      expect((error as SecConfigError).path).toBe(path)
      expect((error as SecConfigError).message).toContain(message)
    }
    expect(() => createStripeWebhookVerifier({ secrets: [secret], tolerance: 0 })).toThrow(
      'createStripeWebhookVerifier.tolerance: must be from 1 second to 1 day',
    )
    expect(stripeSecretKey('k', secret)).toEqual(new TextEncoder().encode(secret))
  })
})

describe('properties', () => {
  it('round-trips any payload, and refuses any change to it, to t or to the signature', async () => {
    const verifier = createStripeWebhookVerifier({ secrets: [secret], clock: at(t) })
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string({ maxLength: 200 }), fc.uint8Array({ maxLength: 200 })),
        fc.integer({ min: -300, max: 300 }),
        fc.integer({ min: 1, max: 300 }),
        fc.nat({ max: 63 }),
        async (body, skew, shift, position) => {
          const header = await signStripePayload(body, secret, { timestamp: t + skew })
          expect(await verifier.verify(body, header)).toEqual({ timestamp: t + skew, secretIndex: 0 })
          const changed = typeof body === 'string' ? `${body}x` : Uint8Array.from([...body, 0])
          expect((await refusal(verifier.verify(changed, header))).reason).toBe('bad-signature')
          const moved = header.replace(`t=${t + skew}`, `t=${t + skew + (skew > 0 ? -shift : shift)}`)
          expect((await refusal(verifier.verify(body, moved))).reason).toBe('bad-signature')
          const index = header.indexOf('v1=') + 3 + position
          const digit = header.charAt(index) === '0' ? '1' : '0'
          const tampered = header.slice(0, index) + digit + header.slice(index + 1)
          expect((await refusal(verifier.verify(body, tampered))).reason).toBe('bad-signature')
        },
      ),
      { numRuns: 100 },
    )
  })

  it('accepts both secrets during a roll, and refuses any t outside the tolerance', async () => {
    const both = createStripeWebhookVerifier({ secrets: [secret, other], clock: at(t) })
    const rolled = `${await signStripePayload(payload, other, { timestamp: t })},v1=${knownSignature}`
    expect((await both.verify(payload, rolled)).secretIndex).toBe(0)
    expect(
      (await both.verify(payload, await signStripePayload(payload, other, { timestamp: t }))).secretIndex,
    ).toBe(1)
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 301, max: 100_000_000 }), fc.boolean(), async (distance, past) => {
        const stamp = past ? t - distance : t + distance
        const header = await signStripePayload(payload, secret, { timestamp: stamp })
        expect((await refusal(both.verify(payload, header))).reason).toBe(past ? 'expired' : 'future')
      }),
      { numRuns: 100 },
    )
  })

  it('answers arbitrary headers with a refusal or a result, never another error', async () => {
    const verifier = createStripeWebhookVerifier({ secrets: [secret], clock: at(t) })
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 300 }),
          fc.array(fc.string({ maxLength: 60 }), { maxLength: 3 }),
          fc.constantFrom(`t=${t},v1=${knownSignature}`, `t=${t}`, 'v1=', ','),
          fc.constant(null),
        ),
        async (header) => {
          try {
            await verifier.verify(payload, header)
          } catch (error) {
            expect(error).toBeInstanceOf(WebhookVerificationError)
          }
        },
      ),
      { numRuns: 500 },
    )
    const huge = [
      `t=${t},${'v1=0,'.repeat(200_000)}v1=${knownSignature}`,
      ','.repeat(1_000_000),
      `t=${'9'.repeat(1_000_000)}`,
    ]
    const reasons = []
    for (const header of huge)
      reasons.push(
        await verifier.verify(payload, header).then(
          (verified) => verified.secretIndex,
          (error: WebhookVerificationError) => error.reason,
        ),
      )
    expect(reasons).toEqual([0, 'malformed', 'malformed'])
  })
})
