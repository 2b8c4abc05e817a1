/** What the `Authorization` header holds, as far as the `Bearer` scheme is concerned. */
export type BearerCredentials =
  /** No `Authorization` header, or one for another scheme (`Basic …`): RFC 6750 §3.1 sends no error code. */
  | { readonly kind: 'missing' }
  /** A `Bearer` credential whose syntax is wrong (no token, spaces, several values): `invalid_request`. */
  | { readonly kind: 'malformed' }
  /** A token, syntactically a token68; whether it is a valid JWT is for the verifier to say. */
  | { readonly kind: 'token'; readonly token: string }

// RFC 6750 §2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
const b64token = /^[A-Za-z0-9\-._~+/]+=*$/
const scheme = /^[A-Za-z0-9!#$%&'*+\-.^_`|~]+/
const space = 32

/**
 * Reads the `Authorization` header value (RFC 6750 §2.1, RFC 9110 §11.6.2): the scheme is
 * case-insensitive and separated from the token by one or more spaces. Several `Bearer` fields
 * arrive joined with `, `, which no token contains, so they come out `malformed`; a value that is
 * not even a scheme name (empty, starting with a separator) is `malformed` too.
 */
export function readBearerCredentials(authorization: string | null): BearerCredentials {
  const credentials = readBearerCandidate(authorization)
  return credentials.kind === 'token' && !isBearerToken(credentials.token) ? malformed : credentials
}

/**
 * Like {@link readBearerCredentials}, without checking the token's characters: for a caller that
 * first looks the token up among tokens it verified (which all have that syntax), and checks it
 * with {@link isBearerToken} only when the lookup misses.
 */
export function readBearerCandidate(authorization: string | null): BearerCredentials {
  if (authorization === null) return missing
  const value = authorization.trim()
  // The spelling nearly every client sends, without a regular expression's match array.
  if (value.startsWith('Bearer ') && value.charCodeAt(7) !== space)
    return { kind: 'token', token: value.slice(7) }
  const name = scheme.exec(value)?.[0]
  if (name === undefined) return malformed
  if (name.length !== 6 || name.toLowerCase() !== 'bearer') return missing
  const token = value.slice(6).replace(/^ +/, '')
  if (token.length === value.length - 6) return malformed
  return { kind: 'token', token }
}

/** Whether a token has the `b64token` syntax of RFC 6750 §2.1. */
export function isBearerToken(token: string): boolean {
  return b64token.test(token)
}

const missing: BearerCredentials = { kind: 'missing' }
const malformed: BearerCredentials = { kind: 'malformed' }
