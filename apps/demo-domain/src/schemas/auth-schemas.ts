import * as v from 'valibot'

/** The scopes of the Notes API: `notes:read` for `GET`, `notes:write` for `POST` and `DELETE`. */
export const notesScopes = ['notes:read', 'notes:write'] as const

/** A scope of the Notes API. */
export type NotesScope = (typeof notesScopes)[number]

/**
 * What a username may be: 1 to 64 letters, digits, `.`, `_`, `@`, `+` or `-`. Bounded and ASCII,
 * so that it is a safe key for the per-account login limit and can never hold a lone surrogate.
 */
export const usernamePattern = /^[A-Za-z0-9._@+-]{1,64}$/

/**
 * The longest password, in UTF-16 code units. scrypt reads the whole password, so an unbounded one
 * would let a caller buy CPU time with a single request.
 */
export const maxPasswordLength = 256

/** The longest refresh token read; the issuer's own are 43 characters. */
export const maxRefreshTokenLength = 512

/**
 * The body of `POST /v1/auth/token`. `scope` asks for fewer scopes than the account's (both by
 * default), as OAuth 2.0 lets a client do (RFC 6749 section 3.3): a token for a read-only tool.
 */
export const LoginInputSchema = v.strictObject({
  username: v.pipe(v.string(), v.regex(usernamePattern)),
  password: v.pipe(v.string(), v.minLength(1), v.maxLength(maxPasswordLength)),
  scope: v.optional(v.picklist(['notes:read', 'notes:write', 'notes:read notes:write'])),
})

/** A validated login body. */
export type LoginInput = v.InferOutput<typeof LoginInputSchema>

/** The body of `POST /v1/auth/refresh`: the refresh token to trade, named as in OAuth 2.0. */
export const RefreshInputSchema = v.strictObject({
  refresh_token: v.pipe(v.string(), v.minLength(1), v.maxLength(maxRefreshTokenLength)),
})

/** A validated refresh body. */
export type RefreshInput = v.InferOutput<typeof RefreshInputSchema>
