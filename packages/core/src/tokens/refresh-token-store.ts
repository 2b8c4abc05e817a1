import * as v from 'valibot'
import { parseOptions } from '../config/index.js'
import { SecError } from '../errors/index.js'
import { type Clock, systemClock } from '../pipeline/index.js'

/**
 * What is kept of one refresh token. Never the token itself: only its SHA-256 digest, so a leak of
 * the store gives no usable token.
 */
export interface StoredRefreshToken {
  /** The base64url SHA-256 digest of the token: the key it is looked up by. */
  readonly hash: string
  /** The family: every token obtained from one login by rotation shares it. */
  readonly familyId: string
  /** The `sub` of the access tokens it yields. */
  readonly subject: string
  /** The granted scopes, space-separated (`''` for none). */
  readonly scope: string
  /** The `client_id` of the access tokens it yields, when there is one. */
  readonly clientId?: string
  /** Extra claims copied into each access token it yields (JSON values). */
  readonly claims?: Readonly<Record<string, unknown>>
  /** The `jti` of the access token issued together with this refresh token. */
  readonly accessTokenId: string
  /** When that access token expires, in ms since the epoch. */
  readonly accessTokenExpiresAt: number
  /** When this refresh token expires, in ms since the epoch. */
  readonly expiresAt: number
  /** When the whole family expires (no rotation goes past it), in ms since the epoch. */
  readonly familyExpiresAt: number
}

/**
 * The state of a refresh token when it was presented:
 * - `active`: unused and unexpired; {@link RefreshTokenStore.consume} has just marked it spent, and
 *   the caller may rotate it;
 * - `spent`: used before: a replay, so the family must be revoked;
 * - `revoked`: its family was revoked (logout, or reuse detected earlier);
 * - `expired`: past its `expiresAt`.
 */
export type RefreshTokenState = 'active' | 'spent' | 'revoked' | 'expired'

/** What {@link RefreshTokenStore.consume} found. */
export interface ConsumedRefreshToken {
  /** The token's state before the call. Only `active` lets the caller rotate it. */
  readonly state: RefreshTokenState
  /** The stored token. */
  readonly token: StoredRefreshToken
  /** For a `spent` token, when it was spent (ms since the epoch), if the store knows. */
  readonly spentAt?: number
}

/**
 * Where refresh tokens are kept (hashed). Each method must be atomic for a given token or family:
 * when two requests present the same token at once, exactly one `consume` may answer `active`.
 * Implementations: {@link memoryRefreshTokenStore} for one instance; for several, a shared store
 * (SQL with `UPDATE … SET spent = true WHERE hash = ? AND spent = false`, or Redis).
 */
export interface RefreshTokenStore {
  /**
   * Saves a new, unspent token. Answers `false`, and saves nothing usable, when its family has been
   * revoked meanwhile (a reuse detected while the token was being issued).
   */
  add(token: StoredRefreshToken): boolean | Promise<boolean>
  /**
   * Looks a token up by its hash and, when it is `active`, marks it spent in the same atomic step.
   * Answers `undefined` for a hash it does not know (never issued, or forgotten after expiry).
   */
  consume(hash: string): ConsumedRefreshToken | undefined | Promise<ConsumedRefreshToken | undefined>
  /**
   * Revokes a family: none of its tokens, present or added later, is `active` again. Answers every
   * token of the family it holds, so the caller can revoke the access tokens issued with them.
   */
  revokeFamily(familyId: string): readonly StoredRefreshToken[] | Promise<readonly StoredRefreshToken[]>
}

/** The {@link RefreshTokenStore} of {@link memoryRefreshTokenStore}: the same methods, synchronous. */
export interface MemoryRefreshTokenStore extends RefreshTokenStore {
  add(token: StoredRefreshToken): boolean
  consume(hash: string): ConsumedRefreshToken | undefined
  revokeFamily(familyId: string): readonly StoredRefreshToken[]
}

/** Options of {@link memoryRefreshTokenStore}. */
export interface MemoryRefreshTokenStoreOptions {
  /**
   * The most refresh tokens kept at once, spent ones included (they are kept until they expire, to
   * detect their reuse). Expired entries are swept when the store is full; an `add` that still finds
   * it full throws a {@link RefreshTokenStoreFullError} rather than forget a live token. Default: `100000`.
   */
  readonly maxEntries?: number
  /** The clock deciding when a token expired. Default: `Date.now`. */
  readonly clock?: Clock
}

/** Thrown by {@link memoryRefreshTokenStore} when every slot holds a token that has not expired yet. */
export class RefreshTokenStoreFullError extends SecError {
  constructor(maxEntries: number) {
    super(
      'SEC_REFRESH_STORE_FULL',
      `The refresh token store holds ${maxEntries} unexpired tokens: raise maxEntries, shorten refreshTokenTtl, or use a shared store.`,
    )
  }
}

const optionsSchema = v.strictObject({
  maxEntries: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(100_000_000))),
  clock: v.optional(
    v.custom<Clock>((x) => typeof (x as Clock | null)?.now === 'function', 'Expected { now(): number }'),
  ),
})

interface Entry {
  readonly token: StoredRefreshToken
  /** When it was spent, in ms since the epoch; `undefined` while unused. */
  spentAt: number | undefined
}

interface Family {
  readonly hashes: Set<string>
  revoked: boolean
  expiresAt: number
}

/**
 * An in-memory {@link RefreshTokenStore} for a single instance. Every method is synchronous, so
 * `consume` is atomic: of two concurrent refreshes with one token, only the first sees it `active`.
 * Spent tokens stay until their own expiry so that a replay is recognised; a revoked family is
 * remembered until the family expires. No timer: expired entries go when the store fills up.
 *
 * @example
 * const issuer = createTokenIssuer({ ..., store: memoryRefreshTokenStore({ maxEntries: 50_000 }) })
 */
export function memoryRefreshTokenStore(options?: MemoryRefreshTokenStoreOptions): MemoryRefreshTokenStore {
  const parsed = parseOptions('memoryRefreshTokenStore', optionsSchema, options)
  const maxEntries = parsed.maxEntries ?? 100_000
  const clock = parsed.clock ?? systemClock
  const entries = new Map<string, Entry>()
  const families = new Map<string, Family>()

  function sweep(now: number): void {
    for (const [hash, entry] of entries) {
      if (entry.token.expiresAt > now) continue
      entries.delete(hash)
      families.get(entry.token.familyId)?.hashes.delete(hash)
    }
    for (const [id, family] of families) if (family.expiresAt <= now) families.delete(id)
  }

  return {
    add(token) {
      let family = families.get(token.familyId)
      if (family?.revoked) return false
      if (!entries.has(token.hash) && entries.size >= maxEntries) {
        sweep(clock.now())
        if (entries.size >= maxEntries) throw new RefreshTokenStoreFullError(maxEntries)
        family = families.get(token.familyId)
      }
      if (family === undefined) {
        family = { hashes: new Set(), revoked: false, expiresAt: token.familyExpiresAt }
        families.set(token.familyId, family)
      }
      family.expiresAt = Math.max(family.expiresAt, token.familyExpiresAt)
      family.hashes.add(token.hash)
      entries.set(token.hash, { token, spentAt: undefined })
      return true
    },
    consume(hash) {
      const entry = entries.get(hash)
      if (entry === undefined) return undefined
      const token = entry.token
      if (families.get(token.familyId)?.revoked !== false) return { state: 'revoked', token }
      if (entry.spentAt !== undefined) return { state: 'spent', token, spentAt: entry.spentAt }
      const now = clock.now()
      if (token.expiresAt <= now) return { state: 'expired', token }
      entry.spentAt = now
      return { state: 'active', token }
    },
    revokeFamily(familyId) {
      const family = families.get(familyId)
      if (family === undefined) return []
      family.revoked = true
      const tokens: StoredRefreshToken[] = []
      for (const hash of family.hashes) {
        const entry = entries.get(hash)
        if (entry !== undefined) tokens.push(entry.token)
      }
      return tokens
    },
  }
}
