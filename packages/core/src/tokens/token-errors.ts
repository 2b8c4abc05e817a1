import { SecError } from '../errors/index.js'

/**
 * Why a refresh token was refused. A token endpoint answers all of them with OAuth's
 * `invalid_grant` (RFC 6749 section 5.2); the reason is for logs and metrics.
 * - `malformed`: not a token this issuer could have made;
 * - `unknown`: never issued here, or forgotten after it expired;
 * - `expired`: past its lifetime, or its family's;
 * - `reused`: already spent, so it was copied: its whole family has just been revoked;
 * - `concurrent`: spent moments ago (within `refreshReuseGrace`), most likely by a parallel request
 *   of the same client: refused, the family kept;
 * - `revoked`: its family was revoked (logout, or a reuse detected before).
 */
export type RefreshTokenRefusal = 'malformed' | 'unknown' | 'expired' | 'reused' | 'concurrent' | 'revoked'

/** Thrown by `issuer.refresh()` for a refresh token it does not accept. Never contains the token. */
export class RefreshTokenError extends SecError {
  /** Why the token was refused. */
  readonly reason: RefreshTokenRefusal

  constructor(reason: RefreshTokenRefusal) {
    super('SEC_INVALID_GRANT', `The refresh token was refused: ${reason}.`)
    this.reason = reason
  }
}

/**
 * Thrown by `issuer.issue()` for a request it cannot turn into a token (an empty subject, a scope
 * with characters RFC 6749 does not allow, an extra claim that would override a registered one).
 * `field` names the member of the request.
 */
export class TokenRequestError extends SecError {
  /** The member of the request that is wrong, e.g. `scope[1]`. */
  readonly field: string

  constructor(field: string, message: string) {
    super('SEC_TOKEN_REQUEST', `${field}: ${message}`)
    this.field = field
  }
}
