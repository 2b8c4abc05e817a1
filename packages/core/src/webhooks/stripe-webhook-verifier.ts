import * as v from 'valibot'
import { configError, parseOptions } from '../config/index.js'
import type { Duration } from '../duration/index.js'
import { type Clock, systemClock } from '../pipeline/index.js'
import type { NonceStore } from '../signing/nonce/index.js'
import { replayTtl, toleranceMs, windowPosition } from './delivery-window.js'
import { hexEncode, hmacSha256, signedContent, utf8 } from './hmac-sha256.js'
import { recordDelivery } from './record-delivery.js'
import { matchingSecret, secretKeys } from './signature-match.js'
import { parseStripeSignature, type StripeSignature } from './stripe-signature-header.js'
import { clockEntry, sharedVerifierEntries } from './verifier-options.js'
import { assertPayload } from './webhook-input-error.js'
import { type Checked, refused, WebhookVerificationError } from './webhook-refusal.js'

const stripePrefix = 'whsec_'
const visibleAscii = /^[\x21-\x7e]+$/

/**
 * The HMAC key of a Stripe endpoint secret: the whole `whsec_…` string as UTF-8, prefix included,
 * as stripe-node and stripe-go use it (it is not base64-decoded, unlike Standard Webhooks).
 */
export function stripeSecretKey(path: string, secret: unknown): Uint8Array<ArrayBuffer> {
  if (typeof secret !== 'string' || !secret.startsWith(stripePrefix))
    configError(
      path,
      `must be the endpoint's signing secret, '${stripePrefix}…', from the Stripe Dashboard or \`stripe listen\` (an API key such as sk_… does not sign webhooks).`,
    )
  if (secret.length === stripePrefix.length || !visibleAscii.test(secret))
    configError(
      path,
      `must be '${stripePrefix}' followed by visible characters, without spaces or newlines: check that the value was copied whole and trimmed.`,
    )
  return new Uint8Array(utf8(secret))
}

/** Options every Stripe verifier shares: {@link createStripeWebhookVerifier} and the `stripeWebhook` guard. */
export interface StripeVerificationOptions {
  /**
   * The endpoint's signing secrets, `whsec_…`. A delivery is accepted when any `v1` signature
   * matches any of them; while Stripe rolls a secret it signs with both, so list the new one as
   * soon as you have it. Required, at least one.
   */
  readonly secrets: readonly string[]
  /**
   * How far `t` may be from the clock, in either direction (Stripe's libraries check only the
   * past: a timestamp ahead is accepted there). A duration such as `'5m'`, or ms; 1 second to 1
   * day. Default: `'5m'` (300 seconds, Stripe's `DEFAULT_TOLERANCE`).
   */
  readonly tolerance?: Duration
  /**
   * Remembers each accepted delivery (its `t` and matching `v1`) until `t` leaves the tolerance,
   * so the same request again is refused as `replayed`. Stripe's retries are new requests with a
   * new `t`, so they pass: dedupe them by the event's `id` in your own storage. Default: none.
   */
  readonly replay?: NonceStore
}

/** Options of {@link createStripeWebhookVerifier}. */
export interface StripeWebhookVerifierOptions extends StripeVerificationOptions {
  /** The clock for the tolerance check. Default: `Date.now`. */
  readonly clock?: Clock
}

/** Options of {@link verifyStripeSignature}. */
export interface VerifyStripeSignatureOptions {
  /** See {@link StripeVerificationOptions.tolerance}. Default: `'5m'`. */
  readonly tolerance?: Duration
  /** See {@link StripeVerificationOptions.replay}. Default: none. */
  readonly replay?: NonceStore
  /** The clock for the tolerance check. Default: `Date.now`. */
  readonly clock?: Clock
}

/** A Stripe delivery that passed every check. */
export interface VerifiedStripeSignature {
  /** `t`: when Stripe sent this attempt, in Unix seconds. */
  readonly timestamp: number
  /** The index in `secrets` of the secret that matched. */
  readonly secretIndex: number
}

/** The value of `Stripe-Signature`: a string, every field line, or absent. */
export type StripeSignatureHeaderValue = string | readonly string[] | null | undefined

/** Verifies Stripe deliveries with keys imported once. */
export interface StripeWebhookVerifier {
  /**
   * Verifies one delivery. Resolves with its timestamp, or rejects with a
   * {@link WebhookVerificationError} whose `reason` says which check failed. Parse the event from
   * `payload` only once this resolved.
   */
  verify(
    payload: string | Uint8Array,
    header: StripeSignatureHeaderValue,
    options?: { readonly now?: number },
  ): Promise<VerifiedStripeSignature>
}

/** The two steps of a Stripe verification, apart so a guard can refuse on the header before reading the body. */
export interface StripeCheck {
  inspect(lines: readonly string[], now: number): Checked<StripeSignature>
  authenticate(
    signature: StripeSignature,
    payload: string | Uint8Array,
    now: number,
  ): Promise<Checked<VerifiedStripeSignature>>
}

interface ParsedStripeOptions {
  readonly secrets?: readonly unknown[] | undefined
  readonly tolerance?: number | string | undefined
  readonly replay?: NonceStore | undefined
}

/** Builds the checks of a Stripe verifier; `where` names the factory in error paths. */
export function createStripeCheck(where: string, parsed: ParsedStripeOptions): StripeCheck {
  const keys = secretKeys(where, parsed.secrets, stripeSecretKey)
  const tolerance = toleranceMs(`${where}.tolerance`, parsed.tolerance)
  const replay = parsed.replay
  const seconds = Math.floor(tolerance / 1000)

  const missing = refused('missing-header', 'The Stripe-Signature header is missing.')
  const malformed = refused(
    'malformed',
    'The Stripe-Signature header needs exactly one timestamp, t=<Unix seconds>.',
  )
  const expired = refused('expired', `The Stripe-Signature timestamp is more than ${seconds} seconds old.`)
  const future = refused(
    'future',
    `The Stripe-Signature timestamp is more than ${seconds} seconds ahead of the receiver's clock.`,
  )
  const noV1 = refused('bad-signature', 'The Stripe-Signature header carries no v1 signature.')
  const noMatch = refused('bad-signature', 'No v1 signature in Stripe-Signature matches this payload.')
  const replayed = refused('replayed', 'This webhook delivery was already received.')

  return {
    inspect(lines, now) {
      if (lines.every((line) => line.trim() === '')) return missing
      const signature = parseStripeSignature(lines)
      if (signature === undefined) return malformed
      const position = windowPosition(signature.timestamp, now, tolerance)
      if (position === 'expired') return expired
      if (position === 'future') return future
      if (signature.signatures.length === 0) return noV1
      return { ok: true, value: signature }
    },

    async authenticate(signature, payload, now) {
      const { timestamp } = signature
      const content = signedContent(`${timestamp}.`, payload)
      const match = await matchingSecret(keys, content, signature.signatures, hexEncode)
      if (match === undefined) return noMatch
      if (
        replay !== undefined &&
        !(await recordDelivery(
          replay,
          `t=${timestamp},v1=${match.signature}`,
          replayTtl(timestamp, now, tolerance),
        ))
      )
        return replayed
      return { ok: true, value: { timestamp, secretIndex: match.secretIndex } }
    },
  }
}

function headerLinesOf(header: StripeSignatureHeaderValue): readonly string[] {
  if (typeof header === 'string') return [header]
  return Array.isArray(header) ? header.filter((line): line is string => typeof line === 'string') : []
}

async function verifyWith(
  check: StripeCheck,
  payload: string | Uint8Array,
  header: StripeSignatureHeaderValue,
  now: number,
): Promise<VerifiedStripeSignature> {
  assertPayload(payload)
  const inspected = check.inspect(headerLinesOf(header), now)
  if (!inspected.ok) throw new WebhookVerificationError(inspected)
  const verified = await check.authenticate(inspected.value, payload, now)
  if (!verified.ok) throw new WebhookVerificationError(verified)
  return verified.value
}

const verifierSchema = v.strictObject({ ...sharedVerifierEntries, ...clockEntry })

/**
 * Creates a verifier for Stripe webhook deliveries (`Stripe-Signature: t=…,v1=…`), for code
 * outside an HTTP pipeline. Inside one use the `stripeWebhook` guard.
 *
 * Checks, in order: the header is present (`missing-header`) and has one `t` (`malformed`), `t` is
 * within the tolerance (`expired`, `future`), and some `v1` equals the hex HMAC-SHA256 of
 * `t.payload` under a secret, compared in constant time (`bad-signature`); with a replay store,
 * the same delivery twice is `replayed`.
 *
 * @example
 * const stripe = createStripeWebhookVerifier({ secrets: [process.env.STRIPE_WEBHOOK_SECRET] })
 * await stripe.verify(rawBody, request.headers.get('stripe-signature'))
 * const event = JSON.parse(rawBody)
 */
export function createStripeWebhookVerifier(options: StripeWebhookVerifierOptions): StripeWebhookVerifier {
  const parsed = parseOptions('createStripeWebhookVerifier', verifierSchema, options)
  const check = createStripeCheck('createStripeWebhookVerifier', parsed)
  const clock = parsed.clock ?? systemClock
  return {
    verify: (payload, header, verifyOptions) =>
      verifyWith(check, payload, header, verifyOptions?.now ?? clock.now()),
  }
}

const verifyOptionsSchema = v.strictObject({
  tolerance: sharedVerifierEntries.tolerance,
  replay: sharedVerifierEntries.replay,
  ...clockEntry,
})

/**
 * Verifies one Stripe delivery, as stripe-node's `constructEvent` does before parsing (but with
 * Web Crypto, and a tolerance in both directions). It checks the secrets and imports the keys on
 * every call: for more than one delivery, make a verifier once with
 * {@link createStripeWebhookVerifier}.
 *
 * @param payload - The raw body, exactly as received.
 * @param header - The `Stripe-Signature` value (or its field lines).
 * @param secrets - The endpoint's signing secret `whsec_…`, or several during a roll.
 *
 * @example
 * await verifyStripeSignature(rawBody, req.headers['stripe-signature'], process.env.STRIPE_WEBHOOK_SECRET)
 */
export async function verifyStripeSignature(
  payload: string | Uint8Array,
  header: StripeSignatureHeaderValue,
  secrets: string | readonly string[],
  options?: VerifyStripeSignatureOptions,
): Promise<VerifiedStripeSignature> {
  const parsed = parseOptions('verifyStripeSignature', verifyOptionsSchema, options)
  const list: readonly unknown[] = Array.isArray(secrets) ? secrets : [secrets]
  const check = createStripeCheck('verifyStripeSignature', { ...parsed, secrets: list })
  return verifyWith(check, payload, header, (parsed.clock ?? systemClock).now())
}

/** Options of {@link signStripePayload}. */
export interface SignStripePayloadOptions {
  /** The `t` to sign, in Unix seconds. Default: now, from `clock`. */
  readonly timestamp?: number
  /** The clock used when `timestamp` is absent. Default: `Date.now`. */
  readonly clock?: Clock
}

const signOptionsSchema = v.strictObject({
  timestamp: v.optional(
    v.pipe(v.number(), v.integer('Expected whole Unix seconds'), v.minValue(0), v.maxValue(999_999_999_999)),
  ),
  ...clockEntry,
})

/**
 * Builds a `Stripe-Signature` header for a payload, as stripe-node's `generateTestHeaderString`:
 * `t=<timestamp>,v1=<hex HMAC-SHA256 of "t.payload">`. For tests and local tools that play Stripe.
 *
 * @example
 * const header = await signStripePayload(JSON.stringify(event), 'whsec_test_…')
 * await fetch(url, { method: 'POST', body, headers: { 'stripe-signature': header } })
 */
export async function signStripePayload(
  payload: string | Uint8Array,
  secret: string,
  options?: SignStripePayloadOptions,
): Promise<string> {
  const parsed = parseOptions('signStripePayload', signOptionsSchema, options)
  const key = hmacSha256(stripeSecretKey('signStripePayload.secret', secret))
  assertPayload(payload)
  const timestamp = parsed.timestamp ?? Math.floor((parsed.clock ?? systemClock).now() / 1000)
  const mac = await key(signedContent(`${timestamp}.`, payload))
  return `t=${timestamp},v1=${hexEncode(mac)}`
}
