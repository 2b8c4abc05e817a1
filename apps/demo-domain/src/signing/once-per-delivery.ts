import {
  authUnavailableRetryAfter,
  catalogProblem,
  challenge,
  type Guard,
  type NonceStore,
  SecProblemError,
  type WebhookFacts,
} from '@sec/core'

const replayed = catalogProblem('unauthorized', {
  detail: 'This webhook delivery was already received.',
  reason: 'replayed',
})

const unavailable = catalogProblem('auth-unavailable', {
  detail: 'Webhook deliveries cannot be checked for replays right now. Retry later.',
})

/**
 * A route guard, after `webhook()`, that accepts each delivery attempt once: the same
 * `webhook-id` with the same `webhook-timestamp` again (the very bytes, resent) is a 401
 * `replayed` problem and an `auth.rejected` event. A sender's retry keeps the id but carries a new
 * timestamp and signature, so it goes on to the handler, which answers it by the id (idempotency).
 *
 * `webhook()`'s own `replay` option refuses every delivery of a known id inside the window,
 * retries included, so a retry a few seconds after a failed attempt would be refused: this guard
 * keys on the attempt instead. An attempt is remembered until its timestamp leaves the
 * `tolerance` (ms), after which `webhook()` refuses it as `expired` anyway. A store that fails is
 * a 503 `auth-unavailable`: the delivery may be genuine, and the sender will retry.
 */
export function oncePerDelivery(store: NonceStore, tolerance: number): Guard {
  const toleranceSeconds = Math.floor(tolerance / 1000)
  return {
    name: 'once-per-delivery',
    async check(ctx) {
      const { id, timestamp } = ctx.facts.webhook as WebhookFacts
      const ttl = Math.max(1, (timestamp + toleranceSeconds + 1) * 1000 - ctx.now())
      let first: boolean
      try {
        // A webhook id holds no '.', so id.timestamp names one attempt unambiguously.
        first = await store.record(`webhook:${id}.${timestamp}`, ttl)
      } catch {
        throw new SecProblemError(unavailable, { 'retry-after': String(authUnavailableRetryAfter) })
      }
      if (first) return undefined
      ctx.emit({ type: 'auth.rejected', scheme: 'webhook', reason: 'replayed', keyId: undefined })
      return challenge(replayed)
    },
  }
}
