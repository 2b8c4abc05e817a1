import type { JWTPayload, ProtectedHeaderParameters } from 'jose'
import { InvalidTokenError } from '../token-errors.js'
import { scopesOf } from '../token-scopes.js'
import type { TokenPrincipal, VerifiedToken } from '../verify-token.js'

/** What an introspection response must satisfy besides `active: true`, after the options were checked. */
export interface IntrospectionResponsePolicy {
  /** Accepted `iss` values; `undefined` when any (or none) is. */
  readonly issuers: readonly string[] | undefined
  /** `aud` must contain one of these; `undefined` when it is not checked. */
  readonly audiences: readonly string[] | undefined
  /** ms of skew allowed on `exp` and `nbf`. */
  readonly clockTolerance: number
  /** Whether `jti` is required (a revocation store is configured). */
  readonly requireTokenId: boolean
  /** `VerifiedToken.issuer` when the response has no `iss`: the endpoint's origin. */
  readonly defaultIssuer: string
}

/**
 * The `header` of an introspected token. An opaque token has no JOSE header; an empty one says so,
 * where `{ alg: 'none' }` would wrongly suggest an unsigned JWT.
 */
export const introspectedTokenHeader: Readonly<ProtectedHeaderParameters> = Object.freeze({})

function numericMember(response: Readonly<Record<string, unknown>>, name: string): number | undefined {
  const value = response[name]
  if (value === undefined) return undefined
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new InvalidTokenError('claims', name)
  return value
}

function stringMember(response: Readonly<Record<string, unknown>>, name: string): string | undefined {
  const value = response[name]
  if (value === undefined) return undefined
  if (typeof value !== 'string' || value === '') throw new InvalidTokenError('claims', name)
  return value
}

function audienceOf(value: unknown): readonly string[] {
  if (value === undefined) return []
  if (typeof value === 'string') return [value]
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value
  throw new InvalidTokenError('claims', 'aud')
}

/**
 * Turns an RFC 7662 introspection response into a verified token, or throws an
 * {@link InvalidTokenError}:
 * - anything but `active: true` (`false`, missing, `"true"`): `inactive`;
 * - `exp` passed or `nbf` ahead, beyond the clock tolerance: `expired`, `not-yet-valid` (the
 *   endpoint already said the token is active; this guards against its clock or a cached answer);
 * - `iss` not one of the configured issuers, `aud` without a configured audience, neither `sub`
 *   nor `client_id`, no `jti` when a revocation store needs one, a member of the wrong type: `claims`.
 *
 * The principal's `id` is `sub` (`kind: 'client'` when it equals `client_id`, else `'user'`), or
 * `client_id` with `kind: 'client'` for a token a client got for itself without a `sub`.
 * `expiresAt` is `exp` in ms, or `Infinity` when the endpoint gave no `exp`. The result is frozen:
 * it is shared by every request that presents the same token while it is cached.
 */
export function readIntrospectionResponse(
  response: Readonly<Record<string, unknown>>,
  policy: IntrospectionResponsePolicy,
  now: number,
): VerifiedToken {
  if (response.active !== true) throw new InvalidTokenError('inactive')
  const exp = numericMember(response, 'exp')
  const nbf = numericMember(response, 'nbf')
  numericMember(response, 'iat')
  if (exp !== undefined && exp * 1000 <= now - policy.clockTolerance)
    throw new InvalidTokenError('expired', 'exp')
  if (nbf !== undefined && nbf * 1000 > now + policy.clockTolerance)
    throw new InvalidTokenError('not-yet-valid', 'nbf')
  const issuer = stringMember(response, 'iss')
  if (policy.issuers !== undefined && (issuer === undefined || !policy.issuers.includes(issuer)))
    throw new InvalidTokenError('claims', 'iss')
  const audience = audienceOf(response.aud)
  const audiences = policy.audiences
  if (audiences !== undefined && !audience.some((item) => audiences.includes(item)))
    throw new InvalidTokenError('claims', 'aud')
  const subject = stringMember(response, 'sub')
  const clientId = stringMember(response, 'client_id')
  const tokenId = stringMember(response, 'jti')
  if (subject === undefined && clientId === undefined) throw new InvalidTokenError('claims', 'sub')
  if (tokenId === undefined && policy.requireTokenId) throw new InvalidTokenError('claims', 'jti')
  const scopes = scopesOf(response)
  if (scopes === undefined) throw new InvalidTokenError('claims', 'scope')
  const claims = Object.freeze(response) as Readonly<JWTPayload>
  const principal: TokenPrincipal = Object.freeze({
    id: (subject ?? clientId) as string,
    kind: subject === undefined || subject === clientId ? 'client' : 'user',
    scopes: Object.freeze(scopes),
    claims,
  })
  return Object.freeze({
    principal,
    claims,
    header: introspectedTokenHeader,
    issuer: issuer ?? policy.defaultIssuer,
    clientId,
    tokenId,
    expiresAt: exp === undefined ? Number.POSITIVE_INFINITY : exp * 1000,
  })
}
