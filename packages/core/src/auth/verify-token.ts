import {
  type JWTPayload,
  type JWTVerifyOptions,
  errors as joseErrors,
  jwtVerify,
  type ProtectedHeaderParameters,
} from 'jose'
import * as v from 'valibot'
import { parseOptions } from '../config/index.js'
import type { Principal } from '../pipeline/index.js'
import { isCompactJws } from './compact-jws.js'
import { createKeyResolver } from './key-source.js'
import { isTokenRevoked } from './revocation-store.js'
import { InvalidTokenError, KeySourceUnavailableError } from './token-errors.js'
import { scopesOf } from './token-scopes.js'
import {
  resolveTokenVerifierPolicy,
  type TokenVerifierOptions,
  type TokenVerifierPolicy,
  tokenVerifierEntries,
} from './token-verifier-options.js'
import { createVerificationCache } from './verification-cache.js'

/** The principal a verified access token stands for. */
export interface TokenPrincipal extends Principal {
  /** The token's `sub`. */
  readonly id: string
  /** `client` when the token was issued to a client for itself (`sub` equals `client_id`), else `user`. */
  readonly kind: 'user' | 'client'
  /** The scopes granted, from `scope` or `scp`. */
  readonly scopes: readonly string[]
  /** Every claim of the token, for authorization decisions (roles, tenant, …). */
  readonly claims: Readonly<JWTPayload>
}

/** A token that passed every check. */
export interface VerifiedToken {
  /** The principal to authorize, built once per token. */
  readonly principal: TokenPrincipal
  /** The claims. */
  readonly claims: Readonly<JWTPayload>
  /** The protected header (`alg`, `kid`, `typ`). */
  readonly header: Readonly<ProtectedHeaderParameters>
  /** The `iss` claim. */
  readonly issuer: string
  /** The `client_id` claim, when present. */
  readonly clientId: string | undefined
  /** The `jti` claim, when present. */
  readonly tokenId: string | undefined
  /** When the token expires (`exp`), in ms since the epoch. */
  readonly expiresAt: number
}

/** Options of one verification. */
export interface VerifyTokenOptions {
  /** The current time in ms since the epoch. Default: the verifier's clock. */
  readonly now?: number
}

/** Verifies access tokens, in or outside HTTP (a queue consumer, a WebSocket upgrade, a CLI). */
export interface TokenVerifier {
  /**
   * Verifies a compact JWS JWT. Resolves with the verified token, or rejects with an
   * {@link InvalidTokenError} (a token it does not accept) or a {@link KeySourceUnavailableError}
   * (the keys could not be fetched: retry later).
   */
  verify(token: string, options?: VerifyTokenOptions): Promise<VerifiedToken>
}

/** Tokens longer than this are refused before any parsing, in characters. */
export const maxTokenLength = 16_384

const optionsSchema = v.strictObject(tokenVerifierEntries)

interface CachedToken {
  readonly token: VerifiedToken
  readonly validUntil: number
}

function invalidTokenFrom(error: unknown): InvalidTokenError | KeySourceUnavailableError {
  if (error instanceof InvalidTokenError || error instanceof KeySourceUnavailableError) return error
  if (!(error instanceof joseErrors.JOSEError)) return new InvalidTokenError('malformed')
  switch (error.code) {
    case joseErrors.JWTExpired.code: {
      const claim = (error as joseErrors.JWTExpired).claim
      return claim === 'iat'
        ? new InvalidTokenError('too-old', 'iat')
        : new InvalidTokenError('expired', 'exp')
    }
    case joseErrors.JWTClaimValidationFailed.code: {
      const claim = (error as joseErrors.JWTClaimValidationFailed).claim
      if (claim === 'nbf') return new InvalidTokenError('not-yet-valid', 'nbf')
      if (claim === 'typ') return new InvalidTokenError('type', 'typ')
      return new InvalidTokenError('claims', claim)
    }
    case joseErrors.JOSEAlgNotAllowed.code:
      return new InvalidTokenError('algorithm', 'alg')
    case joseErrors.JWKSNoMatchingKey.code:
    case joseErrors.JWKSMultipleMatchingKeys.code:
      return new InvalidTokenError('key', 'kid')
    case joseErrors.JWSSignatureVerificationFailed.code:
      return new InvalidTokenError('signature')
    case joseErrors.JWKSInvalid.code:
    case joseErrors.JWKInvalid.code:
      return new KeySourceUnavailableError('A configured key could not be used to verify tokens.', {
        cause: error,
      })
    default:
      return new InvalidTokenError('malformed')
  }
}

function stringClaim(claims: JWTPayload, name: string, required: boolean): string | undefined {
  const value = claims[name]
  if (value === undefined && !required) return undefined
  if (typeof value !== 'string' || value === '') throw new InvalidTokenError('claims', name)
  return value
}

function toVerifiedToken(
  policy: TokenVerifierPolicy,
  claims: JWTPayload,
  header: ProtectedHeaderParameters,
): CachedToken {
  const subject = stringClaim(claims, 'sub', true) as string
  const issuer = stringClaim(claims, 'iss', true) as string
  const clientId = stringClaim(claims, 'client_id', policy.strict)
  const tokenId = stringClaim(claims, 'jti', policy.strict || policy.revocationStore !== undefined)
  const scopes = scopesOf(claims)
  if (scopes === undefined) throw new InvalidTokenError('claims', 'scope')
  const expiresAt = (claims.exp as number) * 1000
  const maxAge = policy.maxTokenAgeMs
  const validUntil =
    maxAge === undefined ? expiresAt : Math.min(expiresAt, (claims.iat as number) * 1000 + maxAge)
  const principal: TokenPrincipal = {
    id: subject,
    kind: clientId !== undefined && subject === clientId ? 'client' : 'user',
    scopes,
    claims,
  }
  return { token: { principal, claims, header, issuer, clientId, tokenId, expiresAt }, validUntil }
}

/**
 * Creates a token verifier: jose's `jwtVerify` with a vetted configuration, a cache of verified
 * tokens and a revocation check.
 *
 * Each token is checked for: a compact JWS (never `alg: none`, never an unencoded payload, no
 * unknown `crit`), an `alg` from the allow-list, a signature by one of the configured keys (picked
 * by `kid`; the token's `jku`, `x5u`, `x5c` and `jwk` headers are ignored), `iss`, `aud`, `exp`
 * and `sub` present and right, `nbf` and `iat` honoured within the clock tolerance, `maxTokenAge`,
 * the RFC 9068 profile in strict mode, the required claims, well-formed scopes, and finally the
 * revocation store.
 *
 * Tokens must be canonically encoded: jose's decoder would also accept a signature re-spelled with
 * other padding bits or a trailing `==`, which would make one signed token into several.
 *
 * A token verified once is cached (keyed by the whole token, until its `exp`): verifying it again
 * is a map lookup plus the revocation check, which is never skipped.
 *
 * Options are checked now: a bad or dangerous combination throws a `SecConfigError` naming it.
 *
 * @example
 * const verifier = createTokenVerifier({
 *   jwks: 'https://auth.example.com/.well-known/jwks.json',
 *   issuer: 'https://auth.example.com/',
 *   audience: 'https://api.example.com',
 * })
 * const { principal } = await verifier.verify(token)
 */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const parsed = parseOptions('createTokenVerifier', optionsSchema, options)
  return createVerifierFromPolicy(resolveTokenVerifierPolicy('createTokenVerifier', parsed))
}

/** A {@link TokenVerifier} that answers without a promise when it can (what `bearer()` uses). */
export interface InstantTokenVerifier extends TokenVerifier {
  /**
   * What {@link TokenVerifier.verify} answers, returned directly when the token is cached and the
   * revocation store (if any) answered synchronously; a promise otherwise. It may throw
   * synchronously what `verify` rejects with.
   */
  verifyNow(token: string, now: number): VerifiedToken | Promise<VerifiedToken>
  /**
   * {@link InstantTokenVerifier.verifyNow} for a token found in the verification cache (revocation
   * still checked); `undefined`, having checked nothing, when the token is not cached.
   */
  verifyCached(token: string, now: number): VerifiedToken | Promise<VerifiedToken> | undefined
}

/** Builds a verifier from a checked policy (shared by {@link createTokenVerifier} and `bearer()`). */
export function createVerifierFromPolicy(policy: TokenVerifierPolicy): InstantTokenVerifier {
  const getKey = createKeyResolver(policy.keySource)
  const cache = policy.cacheSize > 0 ? createVerificationCache<CachedToken>(policy.cacheSize) : undefined
  const revocations = policy.revocationStore
  const clock = policy.clock
  const baseOptions: JWTVerifyOptions = {
    algorithms: [...policy.algorithms],
    issuer: policy.issuer,
    audience: policy.audience,
    clockTolerance: policy.clockTolerance,
    requiredClaims: [...policy.requiredClaims],
    ...(policy.maxTokenAge !== undefined && { maxTokenAge: policy.maxTokenAge }),
    ...(policy.strict && { typ: 'at+jwt' }),
  }

  async function verifyFresh(token: string, now: number): Promise<CachedToken> {
    if (token.length > maxTokenLength || !isCompactJws(token)) throw new InvalidTokenError('malformed')
    try {
      const { payload, protectedHeader } = await jwtVerify(token, getKey, {
        ...baseOptions,
        currentDate: new Date(now),
      })
      return toVerifiedToken(policy, payload, protectedHeader)
    } catch (error) {
      throw invalidTokenFrom(error)
    }
  }

  function checkRevocation(verified: VerifiedToken): VerifiedToken | Promise<VerifiedToken> {
    if (revocations === undefined || verified.tokenId === undefined) return verified
    const revoked = isTokenRevoked(revocations, verified.tokenId)
    if (revoked === true) throw new InvalidTokenError('revoked', 'jti')
    if (revoked === false) return verified
    return revoked.then((isRevoked) => {
      if (isRevoked) throw new InvalidTokenError('revoked', 'jti')
      return verified
    })
  }

  async function verifyUncached(token: string, now: number): Promise<VerifiedToken> {
    const entry = await verifyFresh(token, now)
    cache?.set(token, entry, entry.validUntil)
    return checkRevocation(entry.token)
  }

  function verifyCached(token: string, now: number): VerifiedToken | Promise<VerifiedToken> | undefined {
    const entry = cache?.get(token, now)
    return entry === undefined ? undefined : checkRevocation(entry.token)
  }

  function verifyNow(token: string, now: number): VerifiedToken | Promise<VerifiedToken> {
    return verifyCached(token, now) ?? verifyUncached(token, now)
  }

  return {
    async verify(token, verifyOptions) {
      return verifyNow(token, verifyOptions?.now ?? (clock === undefined ? Date.now() : clock.now()))
    },
    verifyNow,
    verifyCached,
  }
}
