import { isTokenRevoked } from '../revocation-store.js'
import { InvalidTokenError, type InvalidTokenReason } from '../token-errors.js'
import { createVerificationCache } from '../verification-cache.js'
import { maxTokenLength, type TokenVerifier, type VerifiedToken } from '../verify-token.js'
import { type IntrospectionVerifierOptions, resolveIntrospectionPolicy } from './introspection-options.js'
import { createIntrospectionRequest } from './introspection-request.js'
import { readIntrospectionResponse } from './introspection-response.js'
import { tokenDigest } from './token-digest.js'

interface Refusal {
  readonly reason: InvalidTokenReason
  readonly claim: string | undefined
}

/**
 * Creates a {@link TokenVerifier} for opaque access tokens: it asks the authorization server's
 * introspection endpoint (OAuth 2.0 Token Introspection, RFC 7662) whether each token is active,
 * so `bearer({ verifier })` protects routes with tokens that are not JWTs.
 *
 * Each call `POST`s `token=…&token_type_hint=access_token` as a form, with
 * `Accept: application/json` and the client authentication (HTTP Basic with `clientId` and
 * `clientSecret`, or `headers`). The token is accepted when the response says `active: true`,
 * its `exp` and `nbf` hold within the clock tolerance, its `iss` and `aud` match `issuer` and
 * `audience` when they are set, it names a `sub` or a `client_id`, and its `jti` is not in the
 * revocation store. The principal is `{ id: sub (or client_id), kind, scopes (from scope), claims
 * (every member of the response) }`; `header` is `{}` (an opaque token has none); `expiresAt` is
 * `exp`, or `Infinity` when the endpoint gives none.
 *
 * A refused token rejects with an {@link InvalidTokenError} (`inactive`, `expired`,
 * `not-yet-valid`, `claims`, `revoked`, or `malformed` for an empty token or one over
 * {@link maxTokenLength} characters, never sent). An endpoint that cannot answer (unreachable,
 * slower than `timeout`, not 200, not a JSON object, over 64 KiB) rejects with a
 * `KeySourceUnavailableError`: the token may be fine, so the guard answers 5xx, never 401.
 *
 * Answers are cached under the token's SHA-256 (never the token itself): an active token for
 * `cache.maxAge` but never past its `exp`, a refused one for `min(cache.maxAge, 10s)` so that a
 * client retrying a dead token does not hammer the endpoint. Errors of the endpoint are not
 * cached. Concurrent verifications of the same uncached token share one request. The revocation
 * store is checked on every call, cache hits included.
 *
 * Options are checked now: a bad one throws a `SecConfigError` naming it.
 *
 * @example
 * const verifier = createIntrospectionVerifier({
 *   endpoint: 'https://auth.example.com/oauth2/introspect',
 *   clientId: 'notes-api',
 *   clientSecret: process.env.INTROSPECTION_SECRET,
 *   audience: 'https://api.example.com',
 * })
 * const readNotes = bearer({ verifier, scopes: ['notes:read'] })
 */
export function createIntrospectionVerifier(options: IntrospectionVerifierOptions): TokenVerifier {
  const policy = resolveIntrospectionPolicy('createIntrospectionVerifier', options)
  const introspect = createIntrospectionRequest(policy.request)
  const responsePolicy = policy.response
  const cache =
    policy.cache === undefined
      ? undefined
      : {
          ...policy.cache,
          accepted: createVerificationCache<VerifiedToken>(policy.cache.maxEntries),
          refused: createVerificationCache<Refusal>(policy.cache.maxEntries),
        }
  const inFlight = new Map<string, Promise<VerifiedToken>>()
  const revocations = policy.revocationStore
  const clock = policy.clock

  async function introspectFresh(key: string, token: string, now: number): Promise<VerifiedToken> {
    const response = await introspect(token)
    let verified: VerifiedToken
    try {
      verified = readIntrospectionResponse(response, responsePolicy, now)
    } catch (error) {
      // A token that is not valid yet will be: only final refusals are remembered.
      if (cache !== undefined && error instanceof InvalidTokenError && error.reason !== 'not-yet-valid')
        cache.refused.set(key, { reason: error.reason, claim: error.claim }, now + cache.refusedMaxAge)
      throw error
    }
    if (cache !== undefined) {
      const validUntil = Math.min(now + cache.maxAge, verified.expiresAt)
      if (validUntil > now) cache.accepted.set(key, verified, validUntil)
    }
    return verified
  }

  function introspectShared(key: string, token: string, now: number): Promise<VerifiedToken> {
    let flight = inFlight.get(key)
    if (flight === undefined) {
      flight = introspectFresh(key, token, now).finally(() => inFlight.delete(key))
      inFlight.set(key, flight)
    }
    return flight
  }

  return {
    async verify(token, verifyOptions) {
      const now = verifyOptions?.now ?? clock.now()
      if (token === '' || token.length > maxTokenLength) throw new InvalidTokenError('malformed')
      const key = await tokenDigest(token)
      let verified = cache?.accepted.get(key, now)
      if (verified === undefined) {
        const refusal = cache?.refused.get(key, now)
        if (refusal !== undefined) throw new InvalidTokenError(refusal.reason, refusal.claim)
        verified = await introspectShared(key, token, now)
      }
      if (revocations !== undefined && verified.tokenId !== undefined) {
        const revoked = isTokenRevoked(revocations, verified.tokenId)
        if (revoked === true || (revoked !== false && (await revoked)))
          throw new InvalidTokenError('revoked', 'jti')
      }
      return verified
    },
  }
}
