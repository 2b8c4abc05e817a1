import * as v from 'valibot'
import { NoteInputSchema } from './note-schemas.js'

/** The one event type `POST /v1/webhooks/notes` accepts. */
export const noteCreatedEventType = 'note.created'

/**
 * The body of `POST /v1/webhooks/notes`, in the Standard Webhooks payload shape: `type`, an
 * optional ISO 8601 `timestamp`, and `data`, a note exactly as `POST /v1/notes` takes it. Strict at
 * both levels: an unknown field, or an event type other than `note.created`, is a 400.
 */
export const NoteEventSchema = v.strictObject({
  type: v.literal(noteCreatedEventType),
  timestamp: v.optional(v.pipe(v.string(), v.isoTimestamp())),
  data: NoteInputSchema,
})

/** A validated note event. */
export type NoteEvent = v.InferOutput<typeof NoteEventSchema>
