/**
 * A bounded cache of verified tokens, keyed by the whole token string, so that verifying the same
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
  readonly value: T
  readonly validUntil: number
}

/**
 * Creates a {@link VerificationCache} holding at most `maxEntries` tokens. When full, the oldest
 * entry makes room (a `Map` keeps insertion order, so this is O(1) and needs no timer).
 */
export function createVerificationCache<T>(maxEntries: number): VerificationCache<T> {
  const entries = new Map<string, Entry<T>>()
  return {
    get(token, now) {
      const entry = entries.get(token)
      if (entry === undefined) return undefined
      if (now < entry.validUntil) return entry.value
      entries.delete(token)
      return undefined
    },
    set(token, value, validUntil) {
      if (entries.size >= maxEntries && !entries.has(token)) {
        const oldest = entries.keys().next()
        if (oldest.done !== true) entries.delete(oldest.value)
      }
      entries.set(token, { value, validUntil })
    },
    get size() {
      return entries.size
    },
  }
}
