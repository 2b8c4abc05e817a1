import * as v from 'valibot'
import { notesScopes } from './auth-schemas.js'

/** The shortest lifetime a new API key may ask for, in seconds (one minute). */
export const minApiKeyLifetime = 60
/** The longest lifetime a new API key may ask for, in seconds (one year). */
export const maxApiKeyLifetime = 31_536_000

/**
 * The body of `POST /v1/api-keys`: the scopes the key grants (Notes API scopes only, at least one)
 * and, optionally, its lifetime in seconds (default: 90 days).
 */
export const ApiKeyInputSchema = v.strictObject({
  scopes: v.pipe(v.array(v.picklist(notesScopes)), v.minLength(1), v.maxLength(notesScopes.length)),
  expiresIn: v.optional(
    v.pipe(v.number(), v.integer(), v.minValue(minApiKeyLifetime), v.maxValue(maxApiKeyLifetime)),
  ),
})

/** A validated API key request. */
export type ApiKeyInput = v.InferOutput<typeof ApiKeyInputSchema>

/** The shape of an API key id: the 12 base62 characters between `sk_test_` and the secret. */
export const apiKeyIdPattern = /^[0-9A-Za-z]{12}$/

/** The route params of `POST /v1/api-keys/:id/rotate` and `DELETE /v1/api-keys/:id`. */
export const ApiKeyParamsSchema = v.strictObject({
  id: v.pipe(v.string(), v.regex(apiKeyIdPattern)),
})

/** Validated API key route params. */
export type ApiKeyParams = v.InferOutput<typeof ApiKeyParamsSchema>
