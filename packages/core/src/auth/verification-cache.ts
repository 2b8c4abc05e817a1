/**
 * A bounded cache of verified tokens, matched on the whole token string, so that verifying the same
 * token again costs a map lookup instead of a signature verification. An entry is valid until the
 * time given when it was stored (the token's `exp`, or earlier with `maxTokenAge`). It only saves
 * the signature and claim checks: callers still check revocation on every hit.
 */
export interface VerificationCache<T> {
  /** The cached value for a token if it is still valid at `now` (ms since the epoch). */
  get(token: string, now: number): T | undefined
  /** Caches a value until `validUntil` (ms since the epoch, exclusive). */
  set(token: string, value: T, validUntil: number): void
  /** How many entries it holds (some may have expired and not been dropped yet). */
  readonly size: number
}

interface Entry<T> {
  readonly token: string
  readonly value: T
  readonly validUntil: number
}

// Each request brings the token as a new string, whose hash V8 computes over every character
// before a Map lookup: about a microsecond for a JWT of 800 characters. Its last characters lie in
// the signature, which differs from token to token, so the map is keyed by them, and a hit counts
// only when the whole token stored with the entry is identical. A forged token that ends like a
// cached one finds its entry, fails the comparison, and is verified in full.
const suffixLength = 32

function keyOf(token: string): string {
  return token.length > 2 * suffixLength ? token.slice(-suffixLength) : token
}

/**
 * Creates a {@link VerificationCache} holding at most `maxEntries` tokens. When full, the oldest
 * entry makes room (a `Map` keeps insertion order, so this is O(1) and needs no timer).
 */
export function createVerificationCache<T>(maxEntries: number): VerificationCache<T> {
  const entries = new Map<string, Entry<T>>()
  return {
    get(token, now) {
      const key = keyOf(token)
      const entry = entries.get(key)
      if (entry === undefined || entry.token !== token) return undefined
      if (now < entry.validUntil) return entry.value
      entries.delete(key)
      return undefined
    },
    set(token, value, validUntil) {
      const key = keyOf(token)
      if (entries.size >= maxEntries && !entries.has(key)) {
        const oldest = entries.keys().next()
        if (oldest.done !== true) entries.delete(oldest.value)
      }
      entries.set(key, { token, value, validUntil })
    },
    get size() {
      return entries.size
    },
  }
}
