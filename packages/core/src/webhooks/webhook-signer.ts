import * as v from 'valibot'
import { configError, parseOptions } from '../config/index.js'
import { type Clock, systemClock } from '../pipeline/index.js'
import { base64Encode, hmacSha256, signedContent } from './hmac-sha256.js'
import { isWebhookId } from './standard-webhook-headers.js'
import { assertPayload, WebhookInputError } from './webhook-input-error.js'
import { type WebhookSecret, webhookSecretKey } from './webhook-secret.js'

/** Options of {@link createWebhookSigner}. */
export interface WebhookSignerOptions {
  /**
   * The signing secret (`whsec_` and base64, or the key bytes), or several: during a rotation each
   * message is signed with every secret listed, so receivers that know either one accept it.
   * Required; each key at least 24 bytes.
   */
  readonly secret: WebhookSecret | readonly WebhookSecret[]
  /** The clock that stamps messages sent without a `timestamp`. Default: `Date.now`. */
  readonly clock?: Clock
}

/** One message to sign. */
export interface WebhookMessage {
  /**
   * The message id: the same for every retry of one event, so receivers can dedupe by it, e.g.
   * `msg_` and a random or sortable id. 1 to 256 visible ASCII characters without `.`.
   */
  readonly id: string
  /** When this attempt is sent, in Unix seconds. Default: now, from the signer's clock. */
  readonly timestamp?: number
  /** The body, exactly as it will be sent: a string (sent as UTF-8) or the bytes. */
  readonly payload: string | Uint8Array
}

/**
 * The headers to send with a signed message, lower-case. A type rather than an interface, so it is
 * a `Record<string, string>` that `fetch` and `new Headers()` take as is.
 */
export type WebhookSignatureHeaders = {
  readonly 'webhook-id': string
  readonly 'webhook-timestamp': string
  /** `v1,<base64>`, one per secret, separated by spaces. */
  readonly 'webhook-signature': string
}

/** Signs Standard Webhooks messages with keys imported once. */
export interface WebhookSigner {
  /**
   * Signs one attempt: HMAC-SHA256 of `id.timestamp.payload` under each secret. Throws a
   * `WebhookInputError` for an id or timestamp a receiver would refuse.
   */
  sign(message: WebhookMessage): Promise<WebhookSignatureHeaders>
}

const optionsSchema = v.strictObject({
  secret: v.optional(v.unknown()),
  clock: v.optional(
    v.custom<Clock>((x) => typeof (x as Clock | null)?.now === 'function', 'Expected { now(): number }'),
  ),
})

/**
 * Creates a signer for sending Standard Webhooks: each call returns the `webhook-id`,
 * `webhook-timestamp` and `webhook-signature` headers for one attempt. Sign every attempt anew
 * (a retry keeps its id but gets a fresh timestamp), and send the payload exactly as signed.
 *
 * @example
 * const signer = createWebhookSigner({ secret: process.env.WEBHOOK_SECRET })
 * const body = JSON.stringify(event)
 * await fetch(endpoint, { method: 'POST', body, headers: {
 *   'content-type': 'application/json', ...(await signer.sign({ id: event.id, payload: body })) } })
 */
export function createWebhookSigner(options: WebhookSignerOptions): WebhookSigner {
  const parsed = parseOptions('createWebhookSigner', optionsSchema, options)
  const secret = parsed.secret
  if (secret === undefined)
    configError('createWebhookSigner.secret', "is required: pass the signing secret, 'whsec_…'.")
  const list: readonly unknown[] = Array.isArray(secret) ? secret : [secret]
  if (list.length === 0)
    configError('createWebhookSigner.secret', "is empty: list at least one signing secret, 'whsec_…'.")
  const keys = list.map((item, index) =>
    hmacSha256(
      webhookSecretKey(
        Array.isArray(secret) ? `createWebhookSigner.secret[${index}]` : 'createWebhookSigner.secret',
        item,
      ),
    ),
  )
  const clock = parsed.clock ?? systemClock

  return {
    async sign(message) {
      const { id, payload } = message
      if (typeof id !== 'string' || !isWebhookId(id))
        throw new WebhookInputError(
          'The webhook id must be 1 to 256 visible ASCII characters without a dot, e.g. msg_2KWPBgLlAfxdpx2AI54pPJ85f4W.',
        )
      const timestamp = message.timestamp ?? Math.floor(clock.now() / 1000)
      if (!Number.isSafeInteger(timestamp) || timestamp < 0 || timestamp > 999_999_999_999)
        throw new WebhookInputError(
          'The webhook timestamp must be a whole, non-negative number of Unix seconds.',
        )
      assertPayload(payload)
      const content = signedContent(`${id}.${timestamp}.`, payload)
      const macs = await Promise.all(keys.map((key) => key(content)))
      return {
        'webhook-id': id,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': macs.map((mac) => `v1,${base64Encode(mac)}`).join(' '),
      }
    },
  }
}
