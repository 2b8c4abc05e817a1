import * as v from 'valibot'
import { configError, parseOptions } from '../config/index.js'
import { challenge, deny, type Guard, type GuardContext, type GuardResult } from '../pipeline/index.js'
import { catalogProblem } from '../problem/index.js'
import { authUnavailableRetryAfter } from './auth-unavailable.js'
import { isBearerToken, readBearerCandidate } from './bearer-credentials.js'
import { InvalidTokenError, type InvalidTokenReason, KeySourceUnavailableError } from './token-errors.js'
import {
  resolveTokenVerifierPolicy,
  type TokenVerifierOptions,
  tokenVerifierEntries,
} from './token-verifier-options.js'
import {
  createVerifierFromPolicy,
  type InstantTokenVerifier,
  type TokenVerifier,
  type VerifiedToken,
} from './verify-token.js'
import { formatBearerChallenge, isValidRealm, isValidScope } from './www-authenticate.js'

/** What every `bearer()` guard accepts besides the verifier's options. */
export interface BearerGuardOptions {
  /**
   * The realm named in `WWW-Authenticate` challenges: printable ASCII without `"` or `\`.
   * Default: `'api'`.
   */
  readonly realm?: string
  /**
   * Scopes the token must all grant (from its `scope` or `scp` claim). A valid token without one of
   * them gets a 403 `insufficient_scope` naming these scopes. Default: none.
   */
  readonly scopes?: readonly string[]
}

/** `bearer()` options with a verifier built from them. */
export interface BearerOptions extends TokenVerifierOptions, BearerGuardOptions {}

/**
 * `bearer()` options with a verifier made by `createTokenVerifier()` (JWTs) or
 * `createIntrospectionVerifier()` (opaque tokens, RFC 7662), shared between guards (one
 * per route with different `scopes`) so they share one key set and one cache.
 */
export interface BearerWithVerifierOptions extends BearerGuardOptions {
  /** The verifier, from `createTokenVerifier()` or `createIntrospectionVerifier()`. */
  readonly verifier: TokenVerifier
}

/** Facts the `bearer()` guard records under `facts.bearer`. */
export type BearerFacts =
  | {
      /** The token's issuer. */
      readonly issuer: string
      /** Its `jti`, if any. */
      readonly tokenId: string | undefined
      /** Its `client_id`, if any. */
      readonly clientId: string | undefined
      /** When it expires, ms since the epoch. */
      readonly expiresAt: number
    }
  | {
      /** Why the token was refused, for logs; the caller only sees `invalid_token`. */
      readonly rejected: InvalidTokenReason
    }

const guardEntries = {
  realm: v.optional(v.string()),
  scopes: v.optional(v.array(v.unknown())),
}

const optionsSchema = v.strictObject({
  ...tokenVerifierEntries,
  ...guardEntries,
  verifier: v.optional(
    v.custom<TokenVerifier>(
      (x) => typeof (x as TokenVerifier | null)?.verify === 'function',
      'Expected a verifier from createTokenVerifier() or createIntrospectionVerifier()',
    ),
  ),
})

function resolveScopes(scopes: readonly unknown[] | undefined): readonly string[] {
  if (scopes === undefined) return []
  return scopes.map((scope, i) => {
    if (typeof scope !== 'string' || !isValidScope(scope))
      configError(
        `bearer.scopes[${i}]`,
        `is not a scope: expected printable ASCII without spaces, '"' or '\\' (RFC 6749 §3.3), e.g. 'notes:read'; got ${JSON.stringify(scope)}.`,
      )
    return scope
  })
}

function isInstant(verifier: TokenVerifier): verifier is InstantTokenVerifier {
  return typeof (verifier as Partial<InstantTokenVerifier>).verifyNow === 'function'
}

function resolveVerifier(parsed: v.InferOutput<typeof optionsSchema>): TokenVerifier {
  const { realm: _realm, scopes: _scopes, verifier, ...verifierOptions } = parsed
  if (verifier === undefined)
    return createVerifierFromPolicy(resolveTokenVerifierPolicy('bearer', verifierOptions))
  const extra = Object.keys(verifierOptions).find(
    (key) => verifierOptions[key as keyof typeof verifierOptions] !== undefined,
  )
  if (extra !== undefined)
    configError(
      `bearer.${extra}`,
      'cannot be combined with verifier: set it on createTokenVerifier() instead, or drop verifier.',
    )
  return verifier
}

/**
 * A guard that authenticates requests with an OAuth 2.0 bearer access token (RFC 6750) in the
 * `Authorization` header, a JWT verified as `createTokenVerifier()` describes. The token is only
 * read from the header: never from the query string or the body.
 *
 * - No `Authorization: Bearer` credential: 401 `unauthorized` with `WWW-Authenticate: Bearer
 *   realm="api"` (no error code, as RFC 6750 §3.1 asks).
 * - A malformed header (`Bearer` without a token, spaces or commas in it, several values): 400
 *   `invalid-request` with `error="invalid_request"`.
 * - A token that fails any check (signature, algorithm, key, expiry, issuer, audience, type,
 *   revocation, …): 401 `unauthorized` with `error="invalid_token"`. The body is the same whatever
 *   failed; `facts.bearer.rejected` keeps the reason for the server's logs.
 * - A valid token without every scope in `scopes`: 403 `insufficient-scope` with
 *   `error="insufficient_scope", scope="…"`.
 * - Otherwise `ctx.principal` becomes `{ id: sub, kind: 'user' | 'client', scopes, claims }` and
 *   `facts.bearer` holds the issuer, `jti`, `client_id` and expiry.
 *
 * When the issuer's keys cannot be fetched (a remote JWKS or an introspection endpoint that does
 * not answer), the request gets a 503 `auth-unavailable` with `Retry-After` of
 * {@link authUnavailableRetryAfter} seconds and an `auth.unavailable` event: the token may be
 * fine, so telling the client it is invalid would be wrong.
 *
 * Every refused token emits an `auth.rejected` event with the reason; a missing token emits none.
 *
 * The time comes from the pipeline's clock (`createSecurity({ clock })`).
 *
 * @example
 * const verifier = createTokenVerifier({ jwks: 'https://auth.example.com/.well-known/jwks.json', issuer: 'https://auth.example.com/', audience: 'https://api.example.com' })
 * const readNotes = bearer({ verifier, scopes: ['notes:read'] })
 * const writeNotes = bearer({ verifier, scopes: ['notes:write'] })
 */
export function bearer(options: BearerOptions | BearerWithVerifierOptions): Guard {
  const parsed = parseOptions('bearer', optionsSchema, options)
  const realm = parsed.realm ?? 'api'
  if (!isValidRealm(realm))
    configError(
      'bearer.realm',
      `must be printable ASCII without '"' or '\\' (it is sent quoted in WWW-Authenticate); got ${JSON.stringify(realm)}.`,
    )
  if (parsed.clock !== undefined)
    configError(
      'bearer.clock',
      'is not used by the guard, which takes the time from createSecurity({ clock }). Remove it.',
    )
  const requiredScopes = resolveScopes(parsed.scopes)
  const verifier = resolveVerifier(parsed)

  const missingProblem = catalogProblem('unauthorized', {
    detail: 'This resource needs an access token: Authorization: Bearer <token>.',
  })
  const missingHeaders = { 'www-authenticate': formatBearerChallenge(realm) }
  const malformedProblem = catalogProblem('invalid-request', {
    detail: 'The Authorization header is not a valid Bearer credential.',
  })
  const malformedHeaders = { 'www-authenticate': formatBearerChallenge(realm, { error: 'invalid_request' }) }
  const invalidProblem = catalogProblem('unauthorized', { detail: 'The access token is not valid.' })
  const invalidHeaders = { 'www-authenticate': formatBearerChallenge(realm, { error: 'invalid_token' }) }
  const unavailableProblem = catalogProblem('auth-unavailable', {
    detail: 'The access token cannot be checked right now. Retry later.',
  })
  const unavailableHeaders = { 'retry-after': String(authUnavailableRetryAfter) }
  const scopeProblem = catalogProblem('insufficient-scope', {
    detail: 'The access token does not grant the scopes this resource needs.',
  })
  const scopeHeaders = {
    'www-authenticate': formatBearerChallenge(realm, { error: 'insufficient_scope', scopes: requiredScopes }),
  }

  function refused(ctx: GuardContext, error: unknown): GuardResult {
    if (error instanceof KeySourceUnavailableError) {
      ctx.emit({ type: 'auth.unavailable', scheme: 'bearer', error })
      return deny(unavailableProblem, unavailableHeaders)
    }
    if (!(error instanceof InvalidTokenError)) throw error
    ctx.facts.bearer = { rejected: error.reason } satisfies BearerFacts
    ctx.emit({ type: 'auth.rejected', scheme: 'bearer', reason: error.reason, keyId: undefined })
    return challenge(invalidProblem, invalidHeaders)
  }

  function accepted(ctx: GuardContext, verified: VerifiedToken): GuardResult {
    const principal = verified.principal
    ctx.principal = principal
    ctx.facts.bearer = {
      issuer: verified.issuer,
      tokenId: verified.tokenId,
      clientId: verified.clientId,
      expiresAt: verified.expiresAt,
    } satisfies BearerFacts
    for (const scope of requiredScopes)
      if (!principal.scopes.includes(scope)) return deny(scopeProblem, scopeHeaders)
    return undefined
  }

  // A token the verifier has cached (and, with a revocation store that answers in process, found
  // not revoked) is accepted without a promise.
  const instant = isInstant(verifier) ? verifier : undefined

  return {
    name: 'bearer',
    check(ctx): GuardResult | Promise<GuardResult> {
      const credentials = readBearerCandidate(ctx.request.headers.get('authorization'))
      if (credentials.kind === 'missing') return challenge(missingProblem, missingHeaders)
      if (credentials.kind === 'malformed') return deny(malformedProblem, malformedHeaders)
      const token = credentials.token
      let answer: VerifiedToken | Promise<VerifiedToken> | undefined
      try {
        // A cached token was verified, so it has the token syntax: the check is only for the others.
        if (instant !== undefined) answer = instant.verifyCached(token, ctx.now())
        if (answer === undefined) {
          if (!isBearerToken(token)) return deny(malformedProblem, malformedHeaders)
          answer =
            instant === undefined
              ? Promise.resolve(verifier.verify(token, { now: ctx.now() }))
              : instant.verifyNow(token, ctx.now())
        }
      } catch (error) {
        return refused(ctx, error)
      }
      if (answer instanceof Promise)
        return answer.then(
          (verified) => accepted(ctx, verified),
          (error: unknown) => refused(ctx, error),
        )
      return accepted(ctx, answer)
    },
  }
}
