import { base64url, type JSONWebKeySet, SignJWT } from 'jose'
import * as v from 'valibot'
import type { RevocationStore } from '../auth/index.js'
import { configError, parseOptions } from '../config/index.js'
import { type Duration, parseDuration } from '../duration/index.js'
import { type Clock, cryptoRandom, type RandomSource, randomUuid, systemClock } from '../pipeline/index.js'
import { stringsEqual } from './constant-time.js'
import {
  memoryRefreshTokenStore,
  type RefreshTokenStore,
  type StoredRefreshToken,
} from './refresh-token-store.js'
import { NoSigningKeyError, resolveSigningKeys, type ScheduledKey, type SigningKey } from './signing-keys.js'
import { RefreshTokenError, TokenRequestError } from './token-errors.js'

/** Options of {@link createTokenIssuer}. */
export interface TokenIssuerOptions {
  /** The `iss` claim: this authorization server's identifier, e.g. `'https://api.example.com/'`. Required. */
  readonly issuer: string
  /**
   * The `aud` claim: the API (or APIs) the access tokens are for, e.g. `'https://api.example.com'`.
   * Required: the verifier refuses tokens without its own audience.
   */
  readonly audience: string | readonly string[]
  /**
   * The signing keys, as a schedule (see {@link SigningKey}): the key with the latest past
   * `notBefore` signs; a future key is published ahead of time; a replaced key stays published until
   * its tokens expired. ES256 (P-256) and EdDSA (Ed25519) keys only. Required.
   */
  readonly signingKeys: readonly SigningKey[]
  /**
   * How long an access token is valid, as a {@link Duration}, from `'1s'` to `'60m'`: a stolen
   * access token cannot be recalled without a revocation check, so it must not live long.
   * Default: `'15m'`.
   */
  readonly accessTokenTtl?: Duration
  /**
   * How long a refresh token can be used, as a {@link Duration}, from `'1m'` to `'1y'`. Each refresh
   * issues a new one with a fresh lifetime, capped by `refreshFamilyTtl`. Default: `'14d'`.
   */
  readonly refreshTokenTtl?: Duration
  /**
   * How long a family of refresh tokens (everything obtained from one `issue()` by rotation) may
   * last in all, as a {@link Duration}, at least `refreshTokenTtl` and at most `'1y'`: after it the
   * user signs in again. Default: `'30d'`.
   */
  readonly refreshFamilyTtl?: Duration
  /**
   * How long after a refresh token was spent a second use of it is taken for a race of the same
   * client (two tabs, a retried request) rather than a replay, as a {@link Duration}, at most
   * `'60s'`: the second use is refused (`concurrent`) without revoking the family. Past it, or with
   * `0`, any second use revokes the family. Default: `0`: every reuse revokes, so concurrent
   * refreshes sign the user out, which is the safe side.
   */
  readonly refreshReuseGrace?: Duration
  /**
   * Where refresh tokens are kept, hashed. Default: a {@link memoryRefreshTokenStore} on this
   * issuer's clock, which suits a single instance only.
   */
  readonly store?: RefreshTokenStore
  /**
   * Where the access tokens of a revoked family are revoked by `jti`, until their `exp`. Give the
   * same store to the token verifier (`revocationStore`) so it refuses them. Default: none, so a
   * detected reuse or a logout stops the refresh tokens only, and the access tokens already out
   * stay valid until they expire (at most `accessTokenTtl`).
   */
  readonly revocations?: RevocationStore
  /** The clock for `iat`, `exp`, the key schedule and token lifetimes. Default: `Date.now`. */
  readonly clock?: Clock
  /** The random source for refresh tokens, `jti`s and family ids. Default: `crypto.getRandomValues`. */
  readonly random?: RandomSource
}

/** What to put in a new token pair. */
export interface TokenGrant {
  /** The `sub` claim: who the token is for (a user id, or a client id for a client acting for itself). */
  readonly subject: string
  /**
   * The scopes granted, as a list or a space-separated string, written to the `scope` claim.
   * Default: none.
   */
  readonly scope?: string | readonly string[]
  /** The `client_id` claim: the OAuth client the token was issued to (required by RFC 9068). Default: none. */
  readonly clientId?: string
  /**
   * Further claims (JSON values), e.g. `{ roles: ['admin'] }`, copied into every access token of the
   * family. Registered claims (`iss`, `sub`, `aud`, `exp`, `nbf`, `iat`, `jti`, `scope`, `scp`,
   * `client_id`) are refused here: they come from the options and the other members.
   */
  readonly claims?: Readonly<Record<string, unknown>>
}

/** A new access and refresh token pair. */
export interface IssuedTokens {
  /** The signed access token (a JWT with `typ: at+jwt`). */
  readonly accessToken: string
  /** Always `'Bearer'`. */
  readonly tokenType: 'Bearer'
  /** Seconds until the access token expires, for the `expires_in` member. */
  readonly expiresIn: number
  /** The access token's `exp`, in ms since the epoch. */
  readonly expiresAt: number
  /** The access token's `jti`. */
  readonly accessTokenId: string
  /** The opaque refresh token: 256 random bits, base64url. Shown once; only its hash is kept. */
  readonly refreshToken: string
  /** When the refresh token expires, in ms since the epoch. */
  readonly refreshTokenExpiresAt: number
  /** The scopes granted, space-separated (`''` for none). */
  readonly scope: string
}

/** The JSON body of an OAuth 2.0 token response (RFC 6749 section 5.1). */
export interface TokenResponseBody {
  readonly access_token: string
  readonly token_type: 'Bearer'
  readonly expires_in: number
  readonly refresh_token: string
  /** Present when scopes were granted. */
  readonly scope?: string
}

/** Issues short-lived access tokens and rotating refresh tokens, and publishes its public keys. */
export interface TokenIssuer {
  /** Issues a new pair, starting a new refresh token family (a sign-in). */
  issue(grant: TokenGrant): Promise<IssuedTokens>
  /**
   * Trades a refresh token for a new pair of the same family; the token presented is spent. Rejects
   * with a {@link RefreshTokenError} for a token it does not accept; a token spent before is a
   * replay, and revokes its whole family, access tokens included, before rejecting (unless it was
   * spent within `refreshReuseGrace`: then it is only refused).
   */
  refresh(refreshToken: string): Promise<IssuedTokens>
  /**
   * Revokes the family of a refresh token (a sign-out): its refresh tokens and its live access
   * tokens. Answers whether the token was known; an unknown or malformed one is not an error, so a
   * logout endpoint can answer alike (RFC 7009).
   */
  revoke(refreshToken: string): Promise<boolean>
  /**
   * The public key set to serve at `/.well-known/jwks.json`: the key signing now, the keys scheduled
   * next, and replaced keys until the tokens they signed expired. Computed for the clock's time.
   */
  jwks(): Promise<JSONWebKeySet>
}

/**
 * How long a replaced key stays published after the last token it signed expired: the largest
 * clock tolerance a verifier of this package accepts, so a verifier whose clock lags still finds it.
 */
export const retiredKeyGrace = 300_000

const minute = 60_000
const registeredClaims = new Set([
  'iss',
  'sub',
  'aud',
  'exp',
  'nbf',
  'iat',
  'jti',
  'scope',
  'scp',
  'client_id',
])
const scopeTokenPattern = /^[\x21\x23-\x5b\x5d-\x7e]+$/
const refreshTokenPattern = /^[A-Za-z0-9_-]{43}$/
const encoder = new TextEncoder()

const durationSchema = v.optional(
  v.union([v.number(), v.string()], "Expected milliseconds as a number or a duration such as '15m'"),
)
const optionsSchema = v.strictObject({
  issuer: v.pipe(
    v.string("Expected the issuer identifier as a string, e.g. 'https://api.example.com/'"),
    v.nonEmpty("Expected the issuer identifier, e.g. 'https://api.example.com/'"),
  ),
  audience: v.union(
    [
      v.pipe(v.string(), v.nonEmpty()),
      v.pipe(v.array(v.pipe(v.string(), v.nonEmpty('Expected a non-empty audience'))), v.minLength(1)),
    ],
    "Expected a non-empty audience or list of audiences, e.g. 'https://api.example.com'",
  ),
  signingKeys: v.unknown(),
  accessTokenTtl: durationSchema,
  refreshTokenTtl: durationSchema,
  refreshFamilyTtl: durationSchema,
  refreshReuseGrace: durationSchema,
  store: v.optional(
    v.custom<RefreshTokenStore>((x) => {
      const store = x as RefreshTokenStore | null
      return (
        typeof store?.add === 'function' &&
        typeof store.consume === 'function' &&
        typeof store.revokeFamily === 'function'
      )
    }, 'Expected a RefreshTokenStore (add, consume, revokeFamily), such as memoryRefreshTokenStore()'),
  ),
  revocations: v.optional(
    v.custom<RevocationStore>(
      (x) =>
        typeof (x as RevocationStore | null)?.revoke === 'function' &&
        typeof (x as RevocationStore).isRevoked === 'function',
      'Expected a RevocationStore (revoke, isRevoked), such as memoryRevocationStore()',
    ),
  ),
  clock: v.optional(
    v.custom<Clock>((x) => typeof (x as Clock | null)?.now === 'function', 'Expected { now(): number }'),
  ),
  random: v.optional(
    v.custom<RandomSource>((x) => typeof x === 'function', 'Expected a function like crypto.getRandomValues'),
  ),
})

function boundedDuration(
  path: string,
  value: unknown,
  fallback: number,
  [min, minText]: readonly [number, string],
  [max, maxText]: readonly [number, string],
): number {
  const ms = value === undefined ? fallback : parseDuration(path, value)
  if (ms < min) configError(path, `must be at least ${minText}; got ${JSON.stringify(value)}.`)
  if (ms > max) configError(path, `must be at most ${maxText}; got ${JSON.stringify(value)}.`)
  return ms
}

async function hashToken(token: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', encoder.encode(token))
  return base64url.encode(new Uint8Array(digest))
}

function normalizeScope(scope: TokenGrant['scope']): string {
  if (scope === undefined) return ''
  const list = typeof scope === 'string' ? scope.split(' ').filter((s) => s !== '') : scope
  if (!Array.isArray(list) && typeof scope !== 'string')
    throw new TokenRequestError('scope', 'Expected a list of scopes or a space-separated string.')
  const out = new Set<string>()
  list.forEach((item: unknown, i) => {
    if (typeof item !== 'string' || !scopeTokenPattern.test(item))
      throw new TokenRequestError(
        typeof scope === 'string' ? 'scope' : `scope[${i}]`,
        'Each scope must be printable ASCII without spaces, double quotes or backslashes (RFC 6749 section 3.3).',
      )
    out.add(item)
  })
  return [...out].join(' ')
}

function checkClaims(claims: TokenGrant['claims']): Readonly<Record<string, unknown>> | undefined {
  if (claims === undefined) return undefined
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims))
    throw new TokenRequestError('claims', 'Expected an object of JSON values.')
  for (const name of Object.keys(claims))
    if (registeredClaims.has(name))
      throw new TokenRequestError(
        `claims.${name}`,
        'is a registered claim set by the issuer; pass subject, scope or clientId instead.',
      )
  // A copy of the JSON form: what the token will carry, frozen against later changes by the caller.
  try {
    return JSON.parse(JSON.stringify(claims)) as Record<string, unknown>
  } catch {
    throw new TokenRequestError('claims', 'Expected JSON values (no BigInt, no cycles).')
  }
}

/**
 * Creates an issuer of short-lived access tokens (RFC 9068 JWTs, which `createTokenVerifier` with
 * `strict: true` accepts when a `clientId` is given) and opaque, rotating refresh tokens.
 *
 * - Access tokens carry `iss`, `aud`, `sub`, `scope`, `jti`, `iat`, `exp` and `client_id` (when
 *   given), with `typ: at+jwt` and the signing key's `kid` in the header.
 * - Refresh tokens are 256 random bits, kept only as their SHA-256 digest, and single use: each
 *   refresh spends the token and issues a new pair. Presenting a spent token again means it was
 *   copied: the whole family is revoked, its refresh tokens in the store and its access tokens in
 *   `revocations` (by `jti`, until their `exp`).
 *
 * Options are checked now: a bad option throws a `SecConfigError` naming it.
 *
 * @example
 * const { privateKey, publicKey } = await generateKeyPair('ES256')
 * const revocations = memoryRevocationStore()
 * const issuer = createTokenIssuer({
 *   issuer: 'https://api.example.com/',
 *   audience: 'https://api.example.com',
 *   signingKeys: [{ key: { privateKey, publicKey }, kid: '2026-01' }],
 *   revocations,
 * })
 * const tokens = await issuer.issue({ subject: user.id, scope: ['notes:read'] })
 */
export function createTokenIssuer(options: TokenIssuerOptions): TokenIssuer {
  const where = 'createTokenIssuer'
  const parsed = parseOptions(where, optionsSchema, options)
  const keys = resolveSigningKeys(`${where}.signingKeys`, parsed.signingKeys)
  const accessTtl = boundedDuration(
    `${where}.accessTokenTtl`,
    parsed.accessTokenTtl,
    15 * minute,
    [1000, "'1s'"],
    [60 * minute, "'60m': a stolen access token stays usable that long; keep it short and refresh instead"],
  )
  const year = 365 * 24 * 60 * minute
  const refreshTtl = boundedDuration(
    `${where}.refreshTokenTtl`,
    parsed.refreshTokenTtl,
    14 * 24 * 60 * minute,
    [minute, "'1m'"],
    [year, "'1y'"],
  )
  const familyTtl = boundedDuration(
    `${where}.refreshFamilyTtl`,
    parsed.refreshFamilyTtl,
    Math.max(30 * 24 * 60 * minute, refreshTtl),
    [refreshTtl, 'refreshTokenTtl'],
    [year, "'1y'"],
  )
  const reuseGrace = boundedDuration(
    `${where}.refreshReuseGrace`,
    parsed.refreshReuseGrace,
    0,
    [0, '0'],
    [minute, "'60s'"],
  )
  const clock = parsed.clock ?? systemClock
  const random = parsed.random ?? cryptoRandom
  const store = parsed.store ?? memoryRefreshTokenStore({ clock })
  const revocations = parsed.revocations
  const issuerId = parsed.issuer
  const audience = typeof parsed.audience === 'string' ? parsed.audience : [...parsed.audience]

  function signingKeyAt(now: number): ScheduledKey {
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i] as ScheduledKey
      if (key.notBefore <= now) return key
    }
    throw new NoSigningKeyError()
  }

  function randomToken(bytes: number): string {
    return base64url.encode(random(new Uint8Array(bytes)))
  }

  interface Family {
    readonly familyId: string
    readonly familyExpiresAt: number
    readonly subject: string
    readonly scope: string
    readonly clientId?: string | undefined
    readonly claims?: Readonly<Record<string, unknown>> | undefined
  }

  async function mint(now: number, family: Family): Promise<IssuedTokens> {
    const key = signingKeyAt(now)
    const iat = Math.floor(now / 1000)
    const exp = Math.floor((now + accessTtl) / 1000)
    const jti = randomUuid(random)
    const refreshToken = randomToken(32)
    const refreshTokenExpiresAt = Math.min(now + refreshTtl, family.familyExpiresAt)
    const stored: StoredRefreshToken = {
      hash: await hashToken(refreshToken),
      familyId: family.familyId,
      subject: family.subject,
      scope: family.scope,
      ...(family.clientId !== undefined && { clientId: family.clientId }),
      ...(family.claims !== undefined && { claims: family.claims }),
      accessTokenId: jti,
      accessTokenExpiresAt: exp * 1000,
      expiresAt: refreshTokenExpiresAt,
      familyExpiresAt: family.familyExpiresAt,
    }
    // Saved before the access token exists: a concurrent reuse that revokes the family either finds
    // this pair and revokes its access token, or makes this add fail, so no live token escapes.
    if (!(await store.add(stored))) throw new RefreshTokenError('revoked')
    const accessToken = await new SignJWT({
      ...family.claims,
      iss: issuerId,
      sub: family.subject,
      aud: audience,
      ...(family.scope !== '' && { scope: family.scope }),
      ...(family.clientId !== undefined && { client_id: family.clientId }),
      jti,
      iat,
      exp,
    })
      .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'at+jwt' })
      .sign(await key.privateKey())
    return {
      accessToken,
      tokenType: 'Bearer',
      expiresIn: exp - iat,
      expiresAt: exp * 1000,
      accessTokenId: jti,
      refreshToken,
      refreshTokenExpiresAt,
      scope: family.scope,
    }
  }

  async function revokeFamily(familyId: string): Promise<void> {
    const tokens = await store.revokeFamily(familyId)
    if (revocations === undefined) return
    for (const token of tokens) await revocations.revoke(token.accessTokenId, token.accessTokenExpiresAt)
  }

  async function consume(refreshToken: string) {
    if (typeof refreshToken !== 'string' || !refreshTokenPattern.test(refreshToken)) return undefined
    const hash = await hashToken(refreshToken)
    const found = await store.consume(hash)
    // A store answering by an index (SQL, Redis) is trusted for the lookup only: the digest it
    // returns is compared again, in constant time.
    if (found === undefined || !stringsEqual(found.token.hash, hash)) return undefined
    return found
  }

  return {
    async issue(grant) {
      if (typeof grant?.subject !== 'string' || grant.subject === '')
        throw new TokenRequestError('subject', 'Expected a non-empty string.')
      if (grant.clientId !== undefined && (typeof grant.clientId !== 'string' || grant.clientId === ''))
        throw new TokenRequestError('clientId', 'Expected a non-empty string.')
      const now = clock.now()
      return mint(now, {
        familyId: randomToken(16),
        familyExpiresAt: now + familyTtl,
        subject: grant.subject,
        scope: normalizeScope(grant.scope),
        clientId: grant.clientId,
        claims: checkClaims(grant.claims),
      })
    },

    async refresh(refreshToken) {
      if (typeof refreshToken !== 'string' || !refreshTokenPattern.test(refreshToken))
        throw new RefreshTokenError('malformed')
      const found = await consume(refreshToken)
      if (found === undefined) throw new RefreshTokenError('unknown')
      const { state, token, spentAt } = found
      if (state === 'spent' && spentAt !== undefined && clock.now() - spentAt < reuseGrace)
        throw new RefreshTokenError('concurrent')
      if (state === 'spent') {
        await revokeFamily(token.familyId)
        throw new RefreshTokenError('reused')
      }
      if (state !== 'active') throw new RefreshTokenError(state)
      return mint(clock.now(), token)
    },

    async revoke(refreshToken) {
      const found = await consume(refreshToken)
      if (found === undefined) return false
      await revokeFamily(found.token.familyId)
      return true
    },

    async jwks() {
      const now = clock.now()
      const published = keys.filter((key) => key.retiresAt + accessTtl + retiredKeyGrace > now)
      return { keys: await Promise.all(published.map((key) => key.publicJwk())) }
    },
  }
}

/** The OAuth 2.0 token response body for a pair (RFC 6749 section 5.1), to send as JSON with `Cache-Control: no-store`. */
export function tokenResponseBody(tokens: IssuedTokens): TokenResponseBody {
  return {
    access_token: tokens.accessToken,
    token_type: tokens.tokenType,
    expires_in: tokens.expiresIn,
    refresh_token: tokens.refreshToken,
    ...(tokens.scope !== '' && { scope: tokens.scope }),
  }
}
