import { describe, expect, it } from 'vitest'
import { body } from '../body/index.js'
import { SecConfigError } from '../errors/index.js'
import type { SecurityEvent } from '../events/index.js'
import { createSecurity } from '../pipeline/index.js'
import { fromWebRequest } from '../request/index.js'
import { memoryNonceStore } from '../signing/nonce/index.js'
import { stripeWebhook } from './stripe-webhook-guard.js'
import { signStripePayload } from './stripe-webhook-verifier.js'

const secret = 'whsec_test_secret'
const payload = '{"id":"evt_test_webhook","object":"event"}'
const t = 1614265330
const now = t * 1000 + 1200

function protect(
  guard = stripeWebhook({ secrets: [secret] }),
  headers: Record<string, string> = {},
  text = payload,
) {
  const security = createSecurity({ guards: [guard, body()], clock: { now: () => now } })
  return security.protect(
    fromWebRequest(
      new Request('https://api.example.com/v1/stripe/events', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: text,
      }),
    ),
  )
}

const problemBody = (reason: string, detail: string) =>
  JSON.stringify({ detail, reason, type: 'urn:sec:problem:unauthorized', title: 'Unauthorized', status: 401 })

describe('stripeWebhook', () => {
  it('accepts a signed event, records the facts and sets the principal', async () => {
    const header = await signStripePayload(payload, secret, { timestamp: t })
    const outcome = await protect(undefined, { 'stripe-signature': header })
    expect(outcome.verdict).toBe('allow')
    expect(outcome.facts.stripe).toEqual({ timestamp: t, secretIndex: 0 })
    expect(outcome.principal).toEqual({ id: 'stripe', kind: 'webhook' })
    expect(outcome.body).toEqual({ id: 'evt_test_webhook', object: 'event' })
  })

  it('answers each refusal with a 401 problem and its reason', async () => {
    const signed = await signStripePayload(payload, secret, { timestamp: t })
    const cases: [Record<string, string>, string, string, string?][] = [
      [{}, 'missing-header', 'The Stripe-Signature header is missing.'],
      [
        { 'stripe-signature': 'v1=abc' },
        'malformed',
        'The Stripe-Signature header needs exactly one timestamp, t=<Unix seconds>.',
      ],
      [
        { 'stripe-signature': await signStripePayload(payload, secret, { timestamp: t - 600 }) },
        'expired',
        'The Stripe-Signature timestamp is more than 300 seconds old.',
      ],
      [
        { 'stripe-signature': await signStripePayload(payload, secret, { timestamp: t + 600 }) },
        'future',
        "The Stripe-Signature timestamp is more than 300 seconds ahead of the receiver's clock.",
      ],
      [
        { 'stripe-signature': `t=${t}` },
        'bad-signature',
        'The Stripe-Signature header carries no v1 signature.',
      ],
      [
        { 'stripe-signature': signed },
        'bad-signature',
        'No v1 signature in Stripe-Signature matches this payload.',
        '{}',
      ],
    ]
    for (const [headers, reason, detail, text] of cases) {
      const outcome = await protect(undefined, headers, text)
      expect(outcome.verdict, reason).toBe('challenge')
      expect(outcome.guard).toBe('stripe-webhook')
      expect(outcome.response?.status).toBe(401)
      expect(Object.fromEntries(outcome.response?.headers ?? [])).toEqual({
        'cache-control': 'no-store',
        'content-type': 'application/problem+json',
      })
      expect(outcome.response?.body).toBe(problemBody(reason, detail))
      expect(outcome.body).toBeUndefined()
    }
  })

  it('refuses a replayed request and a body over the limit', async () => {
    const header = await signStripePayload(payload, secret, { timestamp: t })
    const guard = stripeWebhook({ secrets: [secret], replay: memoryNonceStore(), tolerance: '10m' })
    expect((await protect(guard, { 'stripe-signature': header })).verdict).toBe('allow')
    expect((await protect(guard, { 'stripe-signature': header })).response?.body).toBe(
      problemBody('replayed', 'This webhook delivery was already received.'),
    )
    const small = await protect(stripeWebhook({ secrets: [secret], limit: '16b' }), {
      'stripe-signature': header,
    })
    expect(small.response?.status).toBe(413)
  })

  it('emits auth.rejected with the reason on each refusal, and nothing without a signature', async () => {
    const events: SecurityEvent[] = []
    const security = createSecurity({
      guards: [stripeWebhook({ secrets: [secret], replay: memoryNonceStore() })],
      clock: { now: () => now },
      events: (event) => void events.push(event),
    })
    const send = async (headers: Record<string, string>, text = payload) =>
      (
        await security.protect(
          fromWebRequest(
            new Request('https://api.example.com/v1/stripe/events', { method: 'POST', headers, body: text }),
          ),
        )
      ).response?.status
    const header = await signStripePayload(payload, secret, { timestamp: t })
    expect(await send({})).toBe(401)
    expect(await send({ 'stripe-signature': '' })).toBe(401)
    expect(await send({ 'stripe-signature': header })).toBe(undefined)
    expect(await send({ 'stripe-signature': header })).toBe(401)
    expect(await send({ 'stripe-signature': header }, '{}')).toBe(401)
    expect(await send({ 'stripe-signature': 'v1=abc' })).toBe(401)
    const stale = await signStripePayload(payload, secret, { timestamp: t - 600 })
    expect(await send({ 'stripe-signature': stale })).toBe(401)
    expect(events).toEqual([
      {
        type: 'auth.rejected',
        scheme: 'stripe-webhook',
        reason: 'replayed',
        keyId: undefined,
        time: now,
        requestId: expect.any(String),
        method: 'POST',
        path: '/v1/stripe/events',
        clientIp: undefined,
      },
      expect.objectContaining({ scheme: 'stripe-webhook', reason: 'bad-signature', keyId: undefined }),
      expect.objectContaining({ scheme: 'stripe-webhook', reason: 'malformed', keyId: undefined }),
      expect.objectContaining({ scheme: 'stripe-webhook', reason: 'expired', keyId: undefined }),
    ])
    expect(JSON.stringify(events)).not.toContain(header.slice(header.indexOf('v1=') + 3))
  })

  it('checks its options at construction', () => {
    for (const [options, path] of [
      [{}, 'stripeWebhook.secrets'],
      [{ secrets: ['sk_test_1'] }, 'stripeWebhook.secrets[0]'],
      [{ secrets: [secret], tolerance: '1 minute' }, 'stripeWebhook.tolerance'],
      [{ secrets: [secret], limit: -1 }, 'stripeWebhook.limit'],
      [{ secrets: [secret], sender: 'x' }, 'stripeWebhook.sender'],
    ] as const) {
      let error: unknown
      try {
        stripeWebhook(options as never)
      } catch (thrown) {
        error = thrown
      }
      expect(error).toBeInstanceOf(SecConfigError)
      expect((error as SecConfigError).path).toBe(path)
    }
  })
})
