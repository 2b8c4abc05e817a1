import {
  type ConsumedRefreshToken,
  type RefreshTokenStore,
  SecError,
  type StoredRefreshToken,
} from '@sec/core'
import { attempt } from '../client/call-within.js'
import { hashTag } from '../client/hash-tag.js'
import { assertRedisClient, defineScript, type RedisClient } from '../client/redis-client.js'
import { RedisStoreError } from '../errors/redis-store-error.js'
import {
  type RedisRefreshTokenStoreOptions,
  resolveRedisRefreshTokenStoreOptions,
} from './redis-refresh-token-store-options.js'
import { addScript, consumeScript, revokeFamilyScript } from './refresh-token-scripts.js'
import { parseStoredToken } from './stored-token-json.js'

/** The longest lifetime a token or family may have, in ms (about 31,700 years). */
const maxTtlMs = 1e15

/** A {@link RefreshTokenStore} whose every method answers with a promise. */
export interface RedisRefreshTokenStore extends RefreshTokenStore {
  add(token: StoredRefreshToken): Promise<boolean>
  consume(hash: string): Promise<ConsumedRefreshToken | undefined>
  revokeFamily(familyId: string): Promise<readonly StoredRefreshToken[]>
}

function argumentError(message: string): SecError {
  return new SecError('SEC_REDIS_ARGUMENT', `redisRefreshTokenStore: ${message}`)
}

function checkToken(token: StoredRefreshToken): void {
  if (typeof token?.hash !== 'string' || token.hash === '')
    throw argumentError('token.hash must be a non-empty string.')
  if (typeof token.familyId !== 'string' || token.familyId === '')
    throw argumentError('token.familyId must be a non-empty string.')
  for (const member of ['expiresAt', 'familyExpiresAt', 'accessTokenExpiresAt'] as const)
    if (!Number.isFinite(token[member]))
      throw argumentError(`token.${member} must be a time in ms since the epoch; got ${token[member]}.`)
}

/** A TTL in ms until `until`, at least 1 (Redis refuses 0). */
function ttlUntil(until: number, now: number): number {
  const ttl = Math.max(1, Math.ceil(until - now))
  if (ttl > maxTtlMs) throw argumentError(`a token or family may last at most ${maxTtlMs} ms.`)
  return ttl
}

const states: ReadonlySet<string> = new Set(['active', 'spent', 'revoked', 'expired'])

/**
 * A {@link RefreshTokenStore} on Redis through ioredis, for refresh tokens shared by every
 * instance of an app. Like the memory store, it keeps only the token's SHA-256 digest, never the
 * token.
 *
 * Layout (see {@link RedisRefreshTokenStoreOptions.prefix}):
 * - `${prefix}hash:${hash}`: a string, the family id of the token with that digest, expiring with
 *   the token. It is how a presented token finds its family; written before the token, never changed.
 * - `${prefix}{${familyId}}:token:${hash}`: a hash, the stored token as JSON with its `expiresAt`
 *   and, once spent, `spentAt`; expires with the token (spent tokens are kept until then, so a
 *   replay is recognised).
 * - `${prefix}{${familyId}}:tokens`: a set of the family's token digests, expiring with the family.
 * - `${prefix}{${familyId}}:revoked`: present once the family is revoked, until the family expires.
 *
 * The family id in braces is the Redis Cluster hash tag: a family's keys share one slot, so
 * `add`, `consume` and `revokeFamily` each run as one atomic Lua script, on a Cluster too. In
 * particular `consume` reads the state and spends the token in one step: of two concurrent
 * refreshes with one token, exactly one gets `active` and the other `spent`, with the first
 * one's `spentAt`. The digest → family string is the only key outside the family's slot.
 *
 * Times (`expiresAt`, `spentAt`) are judged on the store's `clock`, and TTLs are computed from it,
 * so Redis's own clock does not matter. Calls never wait longer than `timeoutMs`, fail at once
 * while the client is reconnecting, and reject with a {@link RedisStoreError}; a stored token the
 * store did not write is one too (`SEC_REDIS_REPLY`), never a wrong answer.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis'
 * import { createTokenIssuer } from '@sec/core/tokens'
 * import { redisRefreshTokenStore, redisRevocationStore } from '@sec/redis'
 *
 * const redis = new Redis(process.env.REDIS_URL)
 * const issuer = createTokenIssuer({
 *   issuer, audience, signingKeys,
 *   store: redisRefreshTokenStore(redis),
 *   revocations: redisRevocationStore(redis),
 *   refreshReuseGrace: '5s',
 * })
 * ```
 */
export function redisRefreshTokenStore(
  client: RedisClient,
  options?: RedisRefreshTokenStoreOptions,
): RedisRefreshTokenStore {
  assertRedisClient('redisRefreshTokenStore.client', client)
  const { prefix, timeoutMs, clock } = resolveRedisRefreshTokenStoreOptions(options)
  const add = defineScript(client, addScript, 3)
  const consume = defineScript(client, consumeScript, 3)
  const revokeFamily = defineScript(client, revokeFamilyScript, 2)

  const familyKey = (hash: string): string => `${prefix}hash:${hash}`
  const tokenKey = (familyId: string, hash: string): string => `${prefix}${hashTag(familyId)}:token:${hash}`
  const tokensKey = (familyId: string): string => `${prefix}${hashTag(familyId)}:tokens`
  const revokedKey = (familyId: string): string => `${prefix}${hashTag(familyId)}:revoked`

  /** The token in `json`, checked to be the one its key names. */
  function tokenFrom(key: string, json: string, familyId: string, hash: string): StoredRefreshToken {
    const token = parseStoredToken(key, json)
    if (token.hash !== hash || token.familyId !== familyId)
      throw new RedisStoreError(
        'SEC_REDIS_REPLY',
        `The refresh token at ${key} in Redis belongs to another key.`,
      )
    return token
  }

  return {
    async add(token) {
      checkToken(token)
      const now = clock.now()
      const tokenTtl = ttlUntil(token.expiresAt, now)
      const familyTtl = Math.max(tokenTtl, ttlUntil(token.familyExpiresAt, now))
      const { familyId, hash } = token
      return attempt(client, timeoutMs, async () => {
        // The digest → family string comes first, so a token its family lists can always be found.
        await client.set(familyKey(hash), familyId, 'PX', tokenTtl)
        const saved = await add(
          tokenKey(familyId, hash),
          tokensKey(familyId),
          revokedKey(familyId),
          JSON.stringify(token),
          String(token.expiresAt),
          hash,
          String(tokenTtl),
          String(familyTtl),
        )
        return saved === 1
      })
    },

    async consume(hash) {
      const now = String(clock.now())
      return attempt(client, timeoutMs, async () => {
        const familyId = await client.get(familyKey(hash))
        if (familyId === null || familyId === '') return undefined
        const key = tokenKey(familyId, hash)
        const reply = await consume(key, tokensKey(familyId), revokedKey(familyId), now)
        if (reply === null) return undefined
        const [state, json, spentAt] = Array.isArray(reply) ? reply : []
        if (typeof state !== 'string' || !states.has(state) || typeof json !== 'string')
          throw new RedisStoreError(
            'SEC_REDIS_REPLY',
            'Redis answered the consume script with an unexpected reply.',
          )
        const token = tokenFrom(key, json, familyId, hash)
        if (state !== 'spent') return { state, token } as ConsumedRefreshToken
        const spent = Number(spentAt)
        if (typeof spentAt !== 'string' || spentAt.trim() === '' || !Number.isFinite(spent))
          throw new RedisStoreError(
            'SEC_REDIS_REPLY',
            `The refresh token at ${key} in Redis is malformed: spentAt.`,
          )
        return { state, token, spentAt: spent }
      })
    },

    async revokeFamily(familyId) {
      if (familyId === '') return []
      return attempt(client, timeoutMs, async () => {
        const hashes = await revokeFamily(tokensKey(familyId), revokedKey(familyId))
        if (!Array.isArray(hashes))
          throw new RedisStoreError(
            'SEC_REDIS_REPLY',
            'Redis answered the revoke script with an unexpected reply.',
          )
        const tokens = await Promise.all(
          hashes.map(async (hash: unknown) => {
            const key = tokenKey(familyId, String(hash))
            const json = await client.hget(key, 'token')
            // A token that expired since the family listed it is gone, as from the memory store.
            return json === null ? undefined : tokenFrom(key, json, familyId, String(hash))
          }),
        )
        return tokens.filter((token) => token !== undefined)
      })
    },
  }
}
