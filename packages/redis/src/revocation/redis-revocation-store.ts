import { type RevocationStore, SecError } from '@sec/core'
import { attempt } from '../client/call-within.js'
import { assertRedisClient, defineScript, type RedisClient } from '../client/redis-client.js'
import { RedisStoreError } from '../errors/redis-store-error.js'
import {
  type RedisRevocationStoreOptions,
  resolveRedisRevocationStoreOptions,
} from './redis-revocation-store-options.js'
import { revokeScript } from './revocation-script.js'

/** A {@link RevocationStore} whose methods answer with promises. */
export interface RedisRevocationStore extends RevocationStore {
  /** One EVALSHA; nothing is sent when `until` is already past. */
  revoke(jti: string, until: number): Promise<void>
  /** One GET. */
  isRevoked(jti: string): Promise<boolean>
}

/** The longest revocation the store keeps, in ms (about 31,700 years): beyond it TTLs lose precision. */
const maxTtlMs = 1e15

/**
 * A {@link RevocationStore} on Redis through ioredis, shared by every instance of an app: one key
 * per revoked token id, `${prefix}${jti}`, holding the revocation's end (`until`, ms since the
 * epoch) and expiring then, so Redis forgets each entry by itself once the token has expired too.
 *
 * - `isRevoked` is one GET, compared with the store's clock (so a key Redis has not evicted yet is
 *   not revoked past its end, exactly like the memory store).
 * - `revoke` is one EVALSHA of a small script that keeps the later end when the id is already
 *   revoked; an `until` already past records nothing and sends nothing.
 * - Each key stands alone, so on a Redis Cluster revocations spread over every master.
 * - Calls never wait longer than `timeoutMs` and fail at once while the client is reconnecting,
 *   rejecting with a {@link RedisStoreError}; a stored value that is not a number is one too
 *   (`SEC_REDIS_REPLY`).
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis'
 * import { createTokenVerifier } from '@sec/core/auth'
 * import { redisRevocationStore } from '@sec/redis'
 *
 * const revocations = redisRevocationStore(new Redis(process.env.REDIS_URL))
 * const verifier = createTokenVerifier({ jwks, issuer, audience, revocationStore: revocations })
 * await revocations.revoke(claims.jti, claims.exp * 1000) // on logout
 * ```
 */
export function redisRevocationStore(
  client: RedisClient,
  options?: RedisRevocationStoreOptions,
): RedisRevocationStore {
  assertRedisClient('redisRevocationStore.client', client)
  const { prefix, timeoutMs, clock } = resolveRedisRevocationStoreOptions(options)
  const revoke = defineScript(client, revokeScript)

  return {
    async revoke(jti, until) {
      const ttl = Math.ceil(until - clock.now())
      if (!(ttl > 0)) return
      if (!(ttl <= maxTtlMs))
        throw new SecError(
          'SEC_REDIS_ARGUMENT',
          `redisRevocationStore: until must be a time at most ${maxTtlMs} ms away; got ${until}.`,
        )
      await attempt(client, timeoutMs, () => revoke(prefix + jti, String(until), String(ttl)))
    },
    async isRevoked(jti) {
      const key = prefix + jti
      const value = await attempt(client, timeoutMs, () => client.get(key))
      if (value === null) return false
      const until = Number(value)
      if (value.trim() === '' || Number.isNaN(until))
        throw new RedisStoreError('SEC_REDIS_REPLY', `The revocation at ${key} in Redis is not a time.`)
      return until > clock.now()
    },
  }
}
