import * as v from 'valibot'

/** The body of `POST /v1/notes`: strict, so an unknown field is a validation failure. */
export const NoteSchema = v.strictObject({
  title: v.pipe(v.string(), v.minLength(1), v.maxLength(200)),
  body: v.pipe(v.string(), v.maxLength(10_000)),
  tags: v.optional(v.pipe(v.array(v.pipe(v.string(), v.maxLength(32))), v.maxLength(10))),
})

/** The params of `GET /v1/notes/:id`. */
export const NoteParamsSchema = v.strictObject({
  id: v.pipe(v.string(), v.regex(/^n_[A-Za-z0-9_-]{1,64}$/)),
})

/** A note as the conformance app accepts it. */
export type Note = v.InferOutput<typeof NoteSchema>
