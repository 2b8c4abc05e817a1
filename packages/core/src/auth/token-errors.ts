import { SecError } from '../errors/index.js'

/**
 * Why a token was refused, for server-side logs and metrics. Callers of the HTTP API never see it:
 * they only get RFC 6750's `invalid_token`.
 * - `malformed`: not a compact JWS JWT, bad base64url or JSON, `b64: false`, unknown `crit`;
 * - `algorithm`: `alg` outside the allow-list (`none`, HS256 against public keys, …);
 * - `key`: no key of the set matches the header's `kid` and `alg`;
 * - `signature`: the signature does not verify;
 * - `expired`, `not-yet-valid`, `too-old` (`maxTokenAge`);
 * - `claims`: a required claim is missing or wrong (`iss`, `aud`, `sub`, `client_id`, scopes …);
 * - `type`: the `typ` header is not `at+jwt` in strict RFC 9068 mode;
 * - `revoked`: its `jti` is in the revocation store;
 * - `inactive`: an introspection endpoint (RFC 7662) answered that the token is not active.
 */
export type InvalidTokenReason =
  | 'malformed'
  | 'algorithm'
  | 'key'
  | 'signature'
  | 'expired'
  | 'not-yet-valid'
  | 'too-old'
  | 'claims'
  | 'type'
  | 'revoked'
  | 'inactive'

/**
 * Thrown by a token verifier for a token it does not accept. The message names the reason and, for
 * claim failures, the claim; it never contains the token or a claim's value.
 */
export class InvalidTokenError extends SecError {
  /** Why the token was refused. */
  readonly reason: InvalidTokenReason
  /** The claim or header parameter that failed, when one did (e.g. `aud`, `typ`). */
  readonly claim: string | undefined

  constructor(reason: InvalidTokenReason, claim?: string) {
    super('SEC_INVALID_TOKEN', `The token was refused: ${reason}${claim === undefined ? '' : ` (${claim})`}.`)
    this.reason = reason
    this.claim = claim
  }
}

/**
 * Thrown when a token cannot be checked: the JWKS or introspection endpoint timed out, answered
 * something other than 200 with a key set or an introspection response, or could not be reached.
 * The token may be fine; the server cannot tell.
 */
export class KeySourceUnavailableError extends SecError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('SEC_KEYS_UNAVAILABLE', message, options)
  }
}
