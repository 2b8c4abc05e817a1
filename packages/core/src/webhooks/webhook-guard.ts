import * as v from 'valibot'
import { type ByteSize, parseByteSize } from '../body/byte-size.js'
import { parseOptions } from '../config/index.js'
import { challenge, type Guard, type GuardResult, type Principal } from '../pipeline/index.js'
import {
  webhookIdHeader,
  webhookSignatureHeader,
  webhookTimestampHeader,
} from './standard-webhook-headers.js'
import { limitEntry, sharedVerifierEntries } from './verifier-options.js'
import { createWebhookCheck, type WebhookVerificationOptions } from './webhook-verifier.js'

/** Options of {@link webhook}. */
export interface WebhookGuardOptions extends WebhookVerificationOptions {
  /**
   * The largest body read and verified, in bytes or as a string such as `'256kb'`. A larger body
   * is refused with 413 `body-too-large` before it is verified. Default: the `bodyLimit` given to
   * `createSecurity` (1 MiB unless changed).
   */
  readonly limit?: ByteSize
  /**
   * Who sends these webhooks, e.g. `'billing'`: the `id` of the principal set on success, which
   * events and logs show. Default: `'webhook'`.
   */
  readonly sender?: string
}

/** What the `webhook` guard records in `facts.webhook` for an accepted delivery. */
export interface WebhookFacts {
  /** `webhook-id`: the idempotency key of the message, the same on every retry. */
  readonly id: string
  /** `webhook-timestamp`: when this attempt was sent, in Unix seconds. */
  readonly timestamp: number
  /** The index in `secrets` of the secret that matched. */
  readonly secretIndex: number
}

/** The principal the `webhook` guard sets: the sender, authenticated by the shared secret. */
export interface WebhookPrincipal extends Principal {
  /** The `sender` option. */
  readonly id: string
  readonly kind: 'webhook'
  /** `webhook-id` of the delivery. */
  readonly webhookId: string
}

const optionsSchema = v.strictObject({
  ...sharedVerifierEntries,
  ...limitEntry,
  sender: v.optional(v.pipe(v.string(), v.minLength(1, 'Expected a non-empty name such as billing'))),
})

/**
 * A guard that accepts only Standard Webhooks deliveries signed with one of `secrets`
 * (`webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64> …`).
 *
 * The headers are checked before the body is read: absent (`missing-header`), unreadable
 * (`malformed`), a timestamp outside the tolerance in either direction (`expired`, `future`).
 * Then the raw body, read once within `limit`, is verified byte for byte: some `v1` signature
 * must equal HMAC-SHA256 of `id.timestamp.body` under some secret, compared in constant time
 * (`bad-signature`); signatures of other versions are skipped. With a replay store, an id seen
 * within the tolerance is `replayed`. Each refusal is a 401 `unauthorized` problem whose `reason`
 * extension names the check; no problem repeats a signature or a secret.
 * Each refusal emits an `auth.rejected` event (`scheme: 'webhook'`, `keyId` undefined: Standard
 * Webhooks name no key) with the reason; a request without a (non-empty) `webhook-signature` emits none.
 *
 * On success `facts.webhook` is `{ id, timestamp, secretIndex }` and the principal is
 * `{ id: sender, kind: 'webhook', webhookId }`. Use `facts.webhook.id` as the idempotency key:
 * senders retry with the same id for days, so record processed ids in your own storage. To parse
 * the verified JSON, add `body()` after this guard: it reuses the bytes read here.
 *
 * @example
 * secure.route(webhook({ secrets: [process.env.WEBHOOK_SECRET] }), body())
 */
export function webhook(options: WebhookGuardOptions): Guard {
  const parsed = parseOptions('webhook', optionsSchema, options)
  const check = createWebhookCheck('webhook', parsed)
  const limit = parsed.limit === undefined ? undefined : parseByteSize('webhook.limit', parsed.limit)
  const sender = parsed.sender ?? 'webhook'

  return {
    name: 'webhook',
    async check(ctx): Promise<GuardResult> {
      const headers = ctx.request.headers
      const signatures = headers.getAll(webhookSignatureHeader)
      const inspected = check.inspect(
        headers.getAll(webhookIdHeader),
        headers.getAll(webhookTimestampHeader),
        signatures,
        ctx.now(),
      )
      if (!inspected.ok) {
        // Without a signature there was no attempt to authenticate: nothing to report.
        if (inspected.reason !== 'missing-header' || signatures.some((line) => line.trim() !== ''))
          ctx.emit({ type: 'auth.rejected', scheme: 'webhook', reason: inspected.reason, keyId: undefined })
        return challenge(inspected.problem)
      }
      const payload = await ctx.body(limit)
      const verified = await check.authenticate(inspected.value, payload, ctx.now())
      if (!verified.ok) {
        ctx.emit({ type: 'auth.rejected', scheme: 'webhook', reason: verified.reason, keyId: undefined })
        return challenge(verified.problem)
      }
      const { id, timestamp, secretIndex } = verified.value
      const facts: WebhookFacts = { id, timestamp, secretIndex }
      ctx.facts.webhook = facts
      const principal: WebhookPrincipal = { id: sender, kind: 'webhook', webhookId: id }
      ctx.principal = principal
      return undefined
    },
  }
}
