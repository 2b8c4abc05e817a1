import * as v from 'valibot'

/** The longest search text, in UTF-16 code units (JavaScript string length). */
export const maxQueryLength = 100

/**
 * The query of `GET /v1/search`: one `q` of 1 to 100 characters, nothing else. Strict: an
 * unknown parameter is a 400 rather than silently ignored, and a repeated `q` (an array) is
 * refused as not a string.
 */
export const SearchQuerySchema = v.strictObject({
  q: v.pipe(v.string(), v.minLength(1), v.maxLength(maxQueryLength)),
})

/** A validated search query. */
export type SearchQuery = v.InferOutput<typeof SearchQuerySchema>
