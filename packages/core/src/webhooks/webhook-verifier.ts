import * as v from 'valibot'
import { parseOptions } from '../config/index.js'
import type { Duration } from '../duration/index.js'
import { type Clock, systemClock } from '../pipeline/index.js'
import type { NonceStore } from '../signing/nonce/index.js'
import { parseUnixSeconds, replayTtl, toleranceMs, windowPosition } from './delivery-window.js'
import { headerLines, type WebhookHeaderSource } from './header-lines.js'
import { base64Encode, signedContent } from './hmac-sha256.js'
import { recordDelivery } from './record-delivery.js'
import { matchingSecret, secretKeys } from './signature-match.js'
import {
  isWebhookId,
  v1Signatures,
  webhookIdHeader,
  webhookSignatureHeader,
  webhookTimestampHeader,
} from './standard-webhook-headers.js'
import { clockEntry, sharedVerifierEntries } from './verifier-options.js'
import { assertPayload } from './webhook-input-error.js'
import { type Checked, refused, WebhookVerificationError } from './webhook-refusal.js'
import { type WebhookSecret, webhookSecretKey } from './webhook-secret.js'

/** Options every Standard Webhooks verifier shares: {@link createWebhookVerifier} and the `webhook` guard. */
export interface WebhookVerificationOptions {
  /**
   * The signing secrets, each `whsec_` and base64 as the sender shows it (or the key bytes). A
   * delivery is accepted when any `v1` signature matches any secret: during a rotation list the
   * new and the old secret, then drop the old one once `secretIndex` no longer points at it.
   * Required, at least one; each key at least 24 bytes.
   */
  readonly secrets: readonly WebhookSecret[]
  /**
   * How far `webhook-timestamp` may be from the clock, in either direction: older is refused as
   * `expired`, newer as `future`. A duration such as `'5m'`, or ms; 1 second to 1 day. Default:
   * `'5m'` (300 seconds, as the Standard Webhooks libraries).
   */
  readonly tolerance?: Duration
  /**
   * Remembers each accepted `webhook-id` until its timestamp leaves the tolerance, so the same id
   * again in that time is refused as `replayed`. Ids are recorded only once the signature checked
   * out, so forged requests cannot burn them. Note that a sender's retry keeps its id: while the
   * id is remembered, a retry after a failed handler is refused too. Default: none (every
   * correctly signed delivery inside the window is accepted; dedupe by id in your own storage).
   */
  readonly replay?: NonceStore
}

/** Options of {@link createWebhookVerifier} and {@link verifyWebhook}. */
export interface WebhookVerifierOptions extends WebhookVerificationOptions {
  /** The clock for the tolerance check. Default: `Date.now`. */
  readonly clock?: Clock
}

/** A delivery to verify: its headers and its raw body. */
export interface WebhookDelivery {
  /** The request headers; `webhook-id`, `webhook-timestamp` and `webhook-signature` are read. */
  readonly headers: WebhookHeaderSource
  /**
   * The raw body exactly as received, as bytes or as the string they decode to (UTF-8). Never a
   * parsed and re-serialized object: the signature covers the bytes sent.
   */
  readonly payload: string | Uint8Array
}

/** A delivery that passed every check. */
export interface VerifiedWebhook {
  /** `webhook-id`: the same for every retry of one message, so use it as the idempotency key. */
  readonly id: string
  /** `webhook-timestamp`: when this attempt was sent, in Unix seconds. */
  readonly timestamp: number
  /** The index in `secrets` of the secret whose signature matched (watch it during a rotation). */
  readonly secretIndex: number
}

/** Options of one verification. */
export interface VerifyWebhookOptions {
  /** The current time in ms since the epoch. Default: the verifier's clock. */
  readonly now?: number
}

/** Verifies Standard Webhooks deliveries with keys imported once. */
export interface WebhookVerifier {
  /**
   * Verifies one delivery. Resolves with its id and timestamp, or rejects with a
   * {@link WebhookVerificationError} (a 401 problem whose `reason` says which check failed).
   */
  verify(delivery: WebhookDelivery, options?: VerifyWebhookOptions): Promise<VerifiedWebhook>
}

/** The signature headers once read, and inside the window. */
export interface InspectedDelivery {
  readonly id: string
  readonly timestamp: number
  readonly signatures: readonly string[]
}

/** The two steps of a verification, apart so a guard can refuse on headers before reading the body. */
export interface WebhookCheck {
  /** Reads the three headers (every field line of each) and checks the time window. */
  inspect(
    idLines: readonly string[],
    timestampLines: readonly string[],
    signatureLines: readonly string[],
    now: number,
  ): Checked<InspectedDelivery>
  /** Checks the signatures against the payload, then records the id when a replay store is set. */
  authenticate(
    delivery: InspectedDelivery,
    payload: string | Uint8Array,
    now: number,
  ): Promise<Checked<VerifiedWebhook>>
}

/** The option values {@link createWebhookCheck} needs, as a schema built from `sharedVerifierEntries` gives them. */
export interface ParsedVerificationOptions {
  readonly secrets?: readonly unknown[] | undefined
  readonly tolerance?: number | string | undefined
  readonly replay?: NonceStore | undefined
}

/** Builds the checks of a Standard Webhooks verifier; `where` names the factory in error paths. */
export function createWebhookCheck(where: string, parsed: ParsedVerificationOptions): WebhookCheck {
  const keys = secretKeys(where, parsed.secrets, webhookSecretKey)
  const tolerance = toleranceMs(`${where}.tolerance`, parsed.tolerance)
  const replay = parsed.replay
  const seconds = Math.floor(tolerance / 1000)

  const missing = (name: string) => refused('missing-header', `The ${name} header is missing.`)
  const missingId = missing(webhookIdHeader)
  const missingTimestamp = missing(webhookTimestampHeader)
  const missingSignature = missing(webhookSignatureHeader)
  const repeatedId = refused('malformed', `The ${webhookIdHeader} header must appear once.`)
  const repeatedTimestamp = refused('malformed', `The ${webhookTimestampHeader} header must appear once.`)
  const badId = refused(
    'malformed',
    `The ${webhookIdHeader} header must be 1 to 256 visible ASCII characters, without '.'.`,
  )
  const badTimestamp = refused(
    'malformed',
    `The ${webhookTimestampHeader} header must be a Unix time in whole seconds.`,
  )
  const badSignature = refused(
    'malformed',
    `The ${webhookSignatureHeader} header holds no signature of the form v1,<base64>.`,
  )
  const expired = refused('expired', `The webhook timestamp is more than ${seconds} seconds old.`)
  const future = refused(
    'future',
    `The webhook timestamp is more than ${seconds} seconds ahead of the receiver's clock.`,
  )
  const noMatch = refused(
    'bad-signature',
    `No v1 signature in ${webhookSignatureHeader} matches this payload.`,
  )
  const replayed = refused('replayed', 'This webhook delivery was already received.')

  // HTTP parsers strip the whitespace around a field value, so a blank value is an empty one.
  const isAbsent = (lines: readonly string[]) => lines.every((line) => line.trim() === '')

  return {
    inspect(idLines, timestampLines, signatureLines, now) {
      if (isAbsent(idLines)) return missingId
      if (isAbsent(timestampLines)) return missingTimestamp
      if (isAbsent(signatureLines)) return missingSignature
      if (idLines.length > 1) return repeatedId
      if (timestampLines.length > 1) return repeatedTimestamp
      const id = idLines[0] as string
      if (!isWebhookId(id)) return badId
      const timestamp = parseUnixSeconds(timestampLines[0] as string)
      if (timestamp === undefined) return badTimestamp
      const signatures = v1Signatures(signatureLines)
      if (signatures === undefined) return badSignature
      const position = windowPosition(timestamp, now, tolerance)
      if (position === 'expired') return expired
      if (position === 'future') return future
      return { ok: true, value: { id, timestamp, signatures } }
    },

    async authenticate(delivery, payload, now) {
      if (delivery.signatures.length === 0) return noMatch
      const content = signedContent(`${delivery.id}.${delivery.timestamp}.`, payload)
      const match = await matchingSecret(keys, content, delivery.signatures, base64Encode)
      if (match === undefined) return noMatch
      if (
        replay !== undefined &&
        !(await recordDelivery(replay, delivery.id, replayTtl(delivery.timestamp, now, tolerance)))
      )
        return replayed
      return {
        ok: true,
        value: { id: delivery.id, timestamp: delivery.timestamp, secretIndex: match.secretIndex },
      }
    },
  }
}

const optionsSchema = v.strictObject({ ...sharedVerifierEntries, ...clockEntry })

/** Runs both steps on a standalone delivery, throwing the refusal. */
export async function verifyWith(
  check: WebhookCheck,
  delivery: WebhookDelivery,
  now: number,
): Promise<VerifiedWebhook> {
  assertPayload(delivery.payload)
  const headers = delivery.headers
  const inspected = check.inspect(
    headerLines(headers, webhookIdHeader),
    headerLines(headers, webhookTimestampHeader),
    headerLines(headers, webhookSignatureHeader),
    now,
  )
  if (!inspected.ok) throw new WebhookVerificationError(inspected)
  const verified = await check.authenticate(inspected.value, delivery.payload, now)
  if (!verified.ok) throw new WebhookVerificationError(verified)
  return verified.value
}

/**
 * Creates a verifier for Standard Webhooks deliveries, for code outside an HTTP pipeline (a queue
 * consumer, a worker, a CLI). Secrets are checked now, keys imported once. Inside a pipeline use
 * the `webhook` guard.
 *
 * Checks, in order: the three headers are present (`missing-header`) and readable (`malformed`),
 * the timestamp is within the tolerance (`expired`, `future`), a `v1` signature matches
 * HMAC-SHA256 of `id.timestamp.payload` under a secret, compared in constant time
 * (`bad-signature`), and, with a replay store, the id was not seen (`replayed`).
 *
 * @example
 * const verifier = createWebhookVerifier({ secrets: [process.env.WEBHOOK_SECRET] })
 * const { id } = await verifier.verify({ headers: request.headers, payload: await request.text() })
 */
export function createWebhookVerifier(options: WebhookVerifierOptions): WebhookVerifier {
  const parsed = parseOptions('createWebhookVerifier', optionsSchema, options)
  const check = createWebhookCheck('createWebhookVerifier', parsed)
  const clock = parsed.clock ?? systemClock
  return {
    verify: (delivery, verifyOptions) => verifyWith(check, delivery, verifyOptions?.now ?? clock.now()),
  }
}

/**
 * Verifies one Standard Webhooks delivery. It checks the options and imports the keys on every
 * call: for more than one delivery, make a verifier once with {@link createWebhookVerifier}.
 *
 * @example
 * await verifyWebhook({ headers: req.headers, payload: rawBody }, { secrets: ['whsec_…'] })
 */
export async function verifyWebhook(
  delivery: WebhookDelivery,
  options: WebhookVerifierOptions,
): Promise<VerifiedWebhook> {
  const parsed = parseOptions('verifyWebhook', optionsSchema, options)
  const check = createWebhookCheck('verifyWebhook', parsed)
  return verifyWith(check, delivery, (parsed.clock ?? systemClock).now())
}
