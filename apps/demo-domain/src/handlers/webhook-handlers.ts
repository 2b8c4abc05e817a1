import {
  authUnavailableRetryAfter,
  type NonceStore,
  type Outcome,
  type Principal,
  statusProblem,
  type WebhookFacts,
} from '@sec/core'
import type { NoteEvent } from '../schemas/index.js'
import { DemoProblemError, type NotesService } from '../service/index.js'
import type { Note } from '../store/index.js'

/** The handlers of the webhooks the demo receives. */
export interface WebhookHandlers {
  /**
   * `POST /v1/webhooks/notes`: creates the event's note for the webhook owner and resolves with
   * it (answered with 201), or with `undefined` (answered with 204, nothing created) when a
   * delivery of the same `webhook-id` was processed before: a sender's retry.
   */
  receiveNoteEvent(outcome: Outcome): Promise<Note | undefined>
}

/** Options of {@link createWebhookHandlers}. */
export interface WebhookHandlersOptions {
  /** The notes service: the policy is asked about the owner, as for any other caller. */
  readonly notes: NotesService
  /** Where processed `webhook-id`s are recorded, each once. */
  readonly deliveries: NonceStore
  /** The user the deliveries create notes for. */
  readonly owner: string
  /** How long a processed id is remembered, in ms. */
  readonly idLifetime: number
}

/**
 * The webhook handlers. The route's guards verified the signature, refused a resent attempt and
 * validated the event against `NoteEventSchema` before these run.
 *
 * The `webhook-id` is the idempotency key: it is recorded before the note is created, so of two
 * deliveries of one message, even concurrent ones, exactly one creates a note. A delivery whose
 * handler fails after that is not created again on retry (at most once): for a note, a lost
 * delivery is better than a duplicate. A store that fails is a 503 with `Retry-After`.
 */
export function createWebhookHandlers(options: WebhookHandlersOptions): WebhookHandlers {
  const { notes, deliveries, owner, idLifetime } = options
  // The integration acts for its owner, and may only create notes.
  const integration: Principal = { id: owner, kind: 'webhook', scopes: ['notes:write'] }
  return {
    async receiveNoteEvent(outcome) {
      const { id } = outcome.facts.webhook as WebhookFacts
      let first: boolean
      try {
        first = await deliveries.record(`webhook-id:${id}`, idLifetime)
      } catch {
        // Unknown whether it was processed: a 503 makes the sender retry later.
        throw new DemoProblemError(statusProblem(503), { 'retry-after': String(authUnavailableRetryAfter) })
      }
      if (!first) return undefined
      return notes.create(integration, (outcome.body as NoteEvent).data)
    },
  }
}
