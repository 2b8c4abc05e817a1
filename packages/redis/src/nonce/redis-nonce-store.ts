import { type NonceStore, SecError } from '@sec/core'
import { attempt } from '../client/call-within.js'
import { assertRedisClient, type RedisClient } from '../client/redis-client.js'
import { RedisStoreError } from '../errors/redis-store-error.js'
import { type RedisNonceStoreOptions, resolveRedisNonceStoreOptions } from './redis-nonce-store-options.js'

/** A {@link NonceStore} whose `record` answers with a promise. */
export interface RedisNonceStore extends NonceStore {
  /**
   * One `SET <prefix><nonce> 1 PX <ttl> NX`: `true` when Redis set the key, `false` when it already
   * held one. Rejects with a {@link RedisStoreError} when Redis cannot answer within `timeoutMs`,
   * and with a `SEC_REDIS_ARGUMENT` `SecError`, sending nothing, for a nonce or TTL it cannot keep.
   */
  record(nonce: string, ttlMs: number): Promise<boolean>
}

/** The longest nonce the store takes, in UTF-16 code units: the guards' own bounds are far below. */
export const maxNonceLength = 1024

/** The longest TTL the store sets, in ms (about 31,700 years): beyond it Redis's expiry time overflows. */
const maxTtlMs = 1e15

type MaybeWellFormed = string & { isWellFormed?: () => boolean }

function argumentError(message: string): SecError {
  return new SecError('SEC_REDIS_ARGUMENT', `redisNonceStore: ${message}`)
}

/** Why `nonce` cannot be a key, or `undefined` when it can. Never quotes the nonce. */
function nonceProblem(nonce: unknown): string | undefined {
  if (typeof nonce !== 'string')
    return `the nonce must be a string; got ${nonce === null ? 'null' : typeof nonce}.`
  if (nonce.length === 0) return 'the nonce is empty.'
  if (nonce.length > maxNonceLength)
    return `the nonce is ${nonce.length} UTF-16 code units long; the most is ${maxNonceLength}.`
  // Redis keeps keys as UTF-8, where every lone surrogate becomes U+FFFD: distinct nonces would
  // share a key, and a fresh one would be refused as a replay.
  if ((nonce as MaybeWellFormed).isWellFormed?.() === false)
    return 'the nonce holds a lone surrogate (it is not well-formed Unicode).'
  return undefined
}

/**
 * A {@link NonceStore} on Redis through ioredis, shared by every instance of an app, so a signed
 * request or webhook delivery accepted by one instance is refused as a replay by all the others.
 *
 * - `record(nonce, ttlMs)` is exactly one command, `SET ${prefix}${nonce} 1 PX <ttl> NX`: atomic
 *   in Redis, so of any number of concurrent records of one nonce, from any number of processes,
 *   exactly one answers `true`. The TTL is `ttlMs` rounded up to whole ms (at least 1, as the
 *   memory store keeps it), and Redis drops each key by itself once it has expired.
 * - Each nonce is its own key, so on a Redis Cluster nonces spread over every master.
 * - Nonces are refused before anything is sent (`SEC_REDIS_ARGUMENT`) when empty, longer than
 *   1024 UTF-16 code units, or holding a lone surrogate; the guards' nonces never are.
 * - Calls never wait longer than `timeoutMs` and fail at once while the client is reconnecting,
 *   rejecting with a {@link RedisStoreError}: the `sigv4`, `webhook` and `stripeWebhook` guards
 *   then answer 503 `auth-unavailable`, neither accepting the request unchecked nor calling it a
 *   replay.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis'
 * import { sigv4 } from '@sec/core/signing'
 * import { redisNonceStore } from '@sec/redis'
 *
 * const nonces = redisNonceStore(new Redis(process.env.REDIS_URL))
 * const signed = sigv4({ credentials, region: 'eu', service: 'notes', nonce: { store: nonces } })
 * ```
 */
export function redisNonceStore(client: RedisClient, options?: RedisNonceStoreOptions): RedisNonceStore {
  assertRedisClient('redisNonceStore.client', client)
  const { prefix, timeoutMs } = resolveRedisNonceStoreOptions(options)

  return {
    async record(nonce, ttlMs) {
      const problem = nonceProblem(nonce)
      if (problem !== undefined) throw argumentError(problem)
      const ttl = ttlMs >= 1 ? Math.ceil(ttlMs) : 1
      if (!(ttl <= maxTtlMs)) throw argumentError(`ttlMs must be at most ${maxTtlMs} ms; got ${ttlMs}.`)
      const key = prefix + nonce
      const reply: unknown = await attempt(client, timeoutMs, () => client.set(key, '1', 'PX', ttl, 'NX'))
      if (reply === 'OK') return true
      if (reply === null) return false
      throw new RedisStoreError(
        'SEC_REDIS_REPLY',
        `Redis answered SET NX at ${prefix}… with an unexpected reply.`,
      )
    },
  }
}
