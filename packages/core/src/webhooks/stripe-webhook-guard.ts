import * as v from 'valibot'
import { type ByteSize, parseByteSize } from '../body/byte-size.js'
import { parseOptions } from '../config/index.js'
import { challenge, type Guard, type GuardResult, type Principal } from '../pipeline/index.js'
import { stripeSignatureHeader } from './stripe-signature-header.js'
import { createStripeCheck, type StripeVerificationOptions } from './stripe-webhook-verifier.js'
import { limitEntry, sharedVerifierEntries } from './verifier-options.js'

/** Options of {@link stripeWebhook}. */
export interface StripeWebhookGuardOptions extends StripeVerificationOptions {
  /**
   * The largest body read and verified, in bytes or as a string such as `'512kb'`. A larger body
   * is refused with 413 `body-too-large`. Default: the `bodyLimit` given to `createSecurity`
   * (1 MiB unless changed).
   */
  readonly limit?: ByteSize
}

/** What the `stripeWebhook` guard records in `facts.stripe` for an accepted delivery. */
export interface StripeWebhookFacts {
  /** `t`: when Stripe sent this attempt, in Unix seconds. */
  readonly timestamp: number
  /** The index in `secrets` of the secret that matched. */
  readonly secretIndex: number
}

const optionsSchema = v.strictObject({ ...sharedVerifierEntries, ...limitEntry })

const stripePrincipal: Principal = { id: 'stripe', kind: 'webhook' }

/**
 * A guard that accepts only webhook deliveries signed by Stripe with one of `secrets`
 * (`Stripe-Signature: t=…,v1=…`), with the same checks and 401 `reason` codes as `webhook`:
 * `missing-header`, `malformed` (no single `t`), `expired`, `future`, `bad-signature` (no `v1`
 * matching the hex HMAC-SHA256 of `t.body`, compared in constant time), `replayed` (with a replay
 * store). The header is checked before the body is read; the body is verified as raw bytes.
 * Each refusal emits an `auth.rejected` event (`scheme: 'stripe-webhook'`, `keyId` undefined)
 * with the reason; a request without a (non-empty) `Stripe-Signature` emits none.
 *
 * On success `facts.stripe` is `{ timestamp, secretIndex }` and the principal is
 * `{ id: 'stripe', kind: 'webhook' }`. Stripe retries an event with the same `id` in its JSON
 * body: dedupe by it in your own storage. Add `body()` after this guard to parse the event.
 *
 * @example
 * secure.route(stripeWebhook({ secrets: [process.env.STRIPE_WEBHOOK_SECRET] }), body())
 */
export function stripeWebhook(options: StripeWebhookGuardOptions): Guard {
  const parsed = parseOptions('stripeWebhook', optionsSchema, options)
  const check = createStripeCheck('stripeWebhook', parsed)
  const limit = parsed.limit === undefined ? undefined : parseByteSize('stripeWebhook.limit', parsed.limit)

  return {
    name: 'stripe-webhook',
    async check(ctx): Promise<GuardResult> {
      const inspected = check.inspect(ctx.request.headers.getAll(stripeSignatureHeader), ctx.now())
      if (!inspected.ok) {
        // `missing-header` means no (non-empty) Stripe-Signature: no attempt, nothing to report.
        if (inspected.reason !== 'missing-header')
          ctx.emit({
            type: 'auth.rejected',
            scheme: 'stripe-webhook',
            reason: inspected.reason,
            keyId: undefined,
          })
        return challenge(inspected.problem)
      }
      const payload = await ctx.body(limit)
      const verified = await check.authenticate(inspected.value, payload, ctx.now())
      if (!verified.ok) {
        ctx.emit({
          type: 'auth.rejected',
          scheme: 'stripe-webhook',
          reason: verified.reason,
          keyId: undefined,
        })
        return challenge(verified.problem)
      }
      const facts: StripeWebhookFacts = verified.value
      ctx.facts.stripe = facts
      ctx.principal = stripePrincipal
      return undefined
    },
  }
}
