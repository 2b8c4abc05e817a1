import * as v from 'valibot'

/** The longest title, in UTF-16 code units (JavaScript string length). */
export const maxTitleLength = 200
/** The longest note body, in UTF-16 code units. */
export const maxBodyLength = 10_000
/** The most tags a note may carry. */
export const maxTags = 10
/** The longest tag, in UTF-16 code units. */
export const maxTagLength = 32

/**
 * The body of `POST /v1/notes`. Strict: an unknown field is refused with a 400, so a caller
 * cannot smuggle `id`, `createdAt` or anything else into a note (mass assignment).
 */
export const NoteInputSchema = v.strictObject({
  title: v.pipe(v.string(), v.minLength(1), v.maxLength(maxTitleLength)),
  body: v.pipe(v.string(), v.maxLength(maxBodyLength)),
  tags: v.optional(
    v.pipe(v.array(v.pipe(v.string(), v.minLength(1), v.maxLength(maxTagLength))), v.maxLength(maxTags)),
  ),
})

/** A validated note body. */
export type NoteInput = v.InferOutput<typeof NoteInputSchema>

/**
 * The shape of every note id: `n_` and 22 base64url characters (16 random bytes). Anything else
 * is refused before the store is consulted.
 */
export const noteIdPattern = /^n_[A-Za-z0-9_-]{22}$/

/** The route params of `GET /v1/notes/:id`. */
export const NoteParamsSchema = v.strictObject({
  id: v.pipe(v.string(), v.regex(noteIdPattern)),
})

/** Validated route params. */
export type NoteParams = v.InferOutput<typeof NoteParamsSchema>
