/**
 * The RFC 6750 error codes a resource server sends in `WWW-Authenticate`:
 * - `invalid_request`: the `Authorization` header is malformed (answered with 400);
 * - `invalid_token`: the token is expired, revoked, malformed or otherwise not accepted (401);
 * - `insufficient_scope`: the token is valid but lacks a scope the resource requires (403).
 */
export type BearerErrorCode = 'invalid_request' | 'invalid_token' | 'insufficient_scope'

/** What a `Bearer` challenge says, besides the realm. */
export interface BearerChallenge {
  /** The RFC 6750 error code; none when the request carried no token at all (RFC 6750 §3.1). */
  readonly error?: BearerErrorCode
  /** The scopes the resource requires, sent with `insufficient_scope`. */
  readonly scopes?: readonly string[]
}

// RFC 6749 appendix A: realm and error values are quoted-strings without `"` or `\` here, scope
// tokens are NQCHAR (printable ASCII but `"` and `\`), so nothing ever needs escaping.
const quotableValue = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/
const scopeToken = /^[\x21\x23-\x5b\x5d-\x7e]+$/

/** Whether a realm can be sent as is in a quoted-string: printable ASCII without `"` or `\`. */
export function isValidRealm(realm: string): boolean {
  return quotableValue.test(realm)
}

/** Whether a scope is an RFC 6749 scope token: printable ASCII without space, `"` or `\`. */
export function isValidScope(scope: string): boolean {
  return scopeToken.test(scope)
}

/**
 * Formats a `WWW-Authenticate` value for the `Bearer` scheme (RFC 6750 §3), e.g.
 * `Bearer realm="api", error="insufficient_scope", scope="notes:read notes:write"`.
 * The realm and scopes must have passed {@link isValidRealm} and {@link isValidScope}: they are
 * checked once, when the guard is built, not here.
 */
export function formatBearerChallenge(realm: string, challenge: BearerChallenge = {}): string {
  let value = `Bearer realm="${realm}"`
  if (challenge.error !== undefined) value += `, error="${challenge.error}"`
  if (challenge.scopes !== undefined && challenge.scopes.length > 0)
    value += `, scope="${challenge.scopes.join(' ')}"`
  return value
}
