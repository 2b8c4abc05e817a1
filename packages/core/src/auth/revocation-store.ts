import * as v from 'valibot'
import { parseOptions } from '../config/index.js'
import { SecError } from '../errors/index.js'
import { type Clock, systemClock } from '../pipeline/index.js'
import { KeySourceUnavailableError } from './token-errors.js'

/**
 * Where revoked token ids (`jti`) are kept. Each entry only needs to live until the revoked
 * token's own expiry: after that the token is refused as expired anyway. Implementations: the
 * memory store here for one instance, a Redis store in `@sec/redis` for several.
 */
export interface RevocationStore {
  /**
   * Revokes a token id until `until` (ms since the epoch, normally the token's `exp` × 1000).
   * A time already past records nothing.
   */
  revoke(jti: string, until: number): void | Promise<void>
  /** Whether a token id is revoked now. */
  isRevoked(jti: string): boolean | Promise<boolean>
}

/** Options of {@link memoryRevocationStore}. */
export interface MemoryRevocationStoreOptions {
  /**
   * The most revoked ids kept at once. Expired entries are swept when the store is full; a
   * revocation that still finds it full throws a {@link RevocationStoreFullError} rather than
   * forget an earlier revocation. Default: `100000`.
   */
  readonly maxEntries?: number
  /** The clock deciding when an entry expired. Default: `Date.now`. */
  readonly clock?: Clock
}

/** Thrown by {@link memoryRevocationStore} when every slot holds a revocation that has not expired yet. */
export class RevocationStoreFullError extends SecError {
  constructor(maxEntries: number) {
    super(
      'SEC_REVOCATION_STORE_FULL',
      `The revocation store holds ${maxEntries} unexpired revocations: raise maxEntries, shorten token lifetimes, or use a shared store such as @sec/redis.`,
    )
  }
}

const optionsSchema = v.strictObject({
  maxEntries: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(100_000_000))),
  clock: v.optional(
    v.custom<Clock>((x) => typeof (x as Clock | null)?.now === 'function', 'Expected { now(): number }'),
  ),
})

/**
 * An in-memory {@link RevocationStore} for a single instance: a map from `jti` to the time its
 * revocation may be forgotten. No timer: expired entries are dropped when read, and all at once
 * when the store fills up.
 *
 * @example
 * const revocations = memoryRevocationStore()
 * await revocations.revoke(claims.jti, claims.exp * 1000) // on logout
 */
export function memoryRevocationStore(options?: MemoryRevocationStoreOptions): RevocationStore {
  const parsed = parseOptions('memoryRevocationStore', optionsSchema, options)
  const maxEntries = parsed.maxEntries ?? 100_000
  const clock = parsed.clock ?? systemClock
  const entries = new Map<string, number>()

  function sweep(now: number): void {
    for (const [jti, until] of entries) if (until <= now) entries.delete(jti)
  }

  return {
    revoke(jti, until) {
      const now = clock.now()
      if (!(until > now)) return
      const current = entries.get(jti)
      if (current !== undefined) {
        if (until > current) entries.set(jti, until)
        return
      }
      if (entries.size >= maxEntries) {
        sweep(now)
        if (entries.size >= maxEntries) throw new RevocationStoreFullError(maxEntries)
      }
      entries.set(jti, until)
    },
    isRevoked(jti) {
      const until = entries.get(jti)
      if (until === undefined) return false
      if (until > clock.now()) return true
      entries.delete(jti)
      return false
    },
  }
}

function storeUnavailable(cause: unknown): KeySourceUnavailableError {
  return new KeySourceUnavailableError(
    'The revocation store did not answer, so the token cannot be checked.',
    {
      cause,
    },
  )
}

/**
 * Asks a revocation store about a token id. A store that throws or rejects (Redis down, a timeout)
 * becomes a {@link KeySourceUnavailableError}: the token may be fine, so the caller answers 503
 * rather than 401. Stays synchronous for a synchronous store.
 */
export function isTokenRevoked(store: RevocationStore, tokenId: string): boolean | Promise<boolean> {
  let answer: boolean | Promise<boolean>
  try {
    answer = store.isRevoked(tokenId)
  } catch (error) {
    throw storeUnavailable(error)
  }
  if (typeof answer === 'boolean') return answer
  return Promise.resolve(answer).then(
    (revoked) => revoked === true,
    (error: unknown) => {
      throw storeUnavailable(error)
    },
  )
}
