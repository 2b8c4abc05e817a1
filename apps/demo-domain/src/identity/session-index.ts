import type { Clock, RefreshTokenStore, StoredRefreshToken } from '@sec/core'

/**
 * A refresh token store that also remembers which family (sign-in session) each access token was
 * issued in, so that signing out with an access token alone can end its whole session.
 */
export interface SessionIndexedStore extends RefreshTokenStore {
  /**
   * The refresh token family an access token (by `jti`) was issued with, while that access token is
   * unexpired; `undefined` for an unknown, expired or forgotten one.
   */
  familyOf(accessTokenId: string): string | undefined
}

/** Options of {@link indexSessions}. */
export interface SessionIndexOptions {
  /** The clock that decides when an access token expired. */
  readonly clock: Clock
  /**
   * The most access tokens remembered. Past it the oldest is forgotten (its session then ends
   * when its refresh token expires, not at sign-out). Default: `100000`.
   */
  readonly maxEntries?: number
}

interface Issued {
  readonly familyId: string
  readonly expiresAt: number
}

/**
 * Wraps a refresh token store to index access tokens by family. Every access token lives as long as
 * every other (the issuer's `accessTokenTtl`), so insertion order is expiry order: expired entries
 * are dropped from the front as new ones come in, without a timer or a scan.
 */
export function indexSessions(store: RefreshTokenStore, options: SessionIndexOptions): SessionIndexedStore {
  const { clock } = options
  const maxEntries = options.maxEntries ?? 100_000
  const families = new Map<string, Issued>()

  function dropExpired(now: number): void {
    for (const [jti, issued] of families) {
      if (issued.expiresAt > now && families.size < maxEntries) return
      families.delete(jti)
    }
  }

  return {
    async add(token: StoredRefreshToken) {
      const added = await store.add(token)
      if (added) {
        dropExpired(clock.now())
        families.set(token.accessTokenId, {
          familyId: token.familyId,
          expiresAt: token.accessTokenExpiresAt,
        })
      }
      return added
    },
    consume: (hash) => store.consume(hash),
    async revokeFamily(familyId) {
      const tokens = await store.revokeFamily(familyId)
      for (const token of tokens) families.delete(token.accessTokenId)
      return tokens
    },
    familyOf(accessTokenId) {
      const issued = families.get(accessTokenId)
      return issued !== undefined && issued.expiresAt > clock.now() ? issued.familyId : undefined
    },
  }
}
