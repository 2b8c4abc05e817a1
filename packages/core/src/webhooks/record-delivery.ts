import { authUnavailableRetryAfter } from '../auth/auth-unavailable.js'
import { catalogProblem, SecProblemError } from '../problem/index.js'
import type { NonceStore } from '../signing/nonce/index.js'

/**
 * Records a delivery in the replay store: `true` the first time. A store that throws or rejects
 * (Redis down, a full memory store) becomes a 503 `auth-unavailable`: the delivery may be genuine,
 * so it is neither accepted unchecked nor refused as a forgery, and the sender retries.
 */
export async function recordDelivery(store: NonceStore, key: string, ttlMs: number): Promise<boolean> {
  try {
    return await store.record(key, ttlMs)
  } catch {
    throw new SecProblemError(
      catalogProblem('auth-unavailable', {
        detail: 'Webhook deliveries cannot be checked for replays right now. Retry later.',
      }),
      { 'retry-after': String(authUnavailableRetryAfter) },
    )
  }
}
