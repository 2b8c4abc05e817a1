import { type ApiKeyRecord, type ApiKeyStore, SecError } from '@sec/core'
import { attempt } from '../client/call-within.js'
import { hashTag } from '../client/hash-tag.js'
import { assertRedisClient, defineScript, type RedisClient } from '../client/redis-client.js'
import { fieldsOf, malformedRecord, parseRecord, recordFields } from './api-key-record-fields.js'
import { createScript, revokeScript, rotateScript, touchScript } from './api-key-scripts.js'
import {
  type RedisApiKeyStoreOptions,
  resolveRedisApiKeyStoreOptions,
} from './redis-api-key-store-options.js'

/**
 * How many key id → owner pairs one store remembers. The pair never changes once written, so a
 * remembered owner saves `findById` a round trip on every request of a busy key.
 */
const ownerCacheSize = 10_000

function argumentError(message: string): SecError {
  return new SecError('SEC_REDIS_ARGUMENT', `redisApiKeyStore: ${message}`)
}

function exists(id: string): SecError {
  return new SecError('SEC_API_KEY_EXISTS', `An API key with id ${id} exists.`)
}

function checkTime(what: string, value: number): void {
  if (!Number.isFinite(value))
    throw argumentError(`${what} must be a time in ms since the epoch; got ${value}.`)
}

function checkRecord(what: string, record: ApiKeyRecord): void {
  if (typeof record?.id !== 'string' || record.id === '')
    throw argumentError(`${what}.id must be a non-empty string.`)
  if (typeof record.owner !== 'string' || record.owner === '')
    throw argumentError(`${what}.owner must be a non-empty string.`)
  checkTime(`${what}.createdAt`, record.createdAt)
}

/**
 * An {@link ApiKeyStore} on Redis through ioredis, for API keys shared by every instance of an app.
 * It keeps only what `createApiKeys` gives it: metadata and the key's digest, never a key.
 *
 * Layout (see {@link RedisApiKeyStoreOptions.prefix}):
 * - `${prefix}id:${id}`: a string, the owner of key id `id`. Written once, with SET NX, which also
 *   makes ids unique; it is how a key presented by a client finds its record.
 * - `${prefix}{${owner}}:key:${id}`: a hash, the record (numbers as text, scopes as JSON).
 * - `${prefix}{${owner}}:keys`: a sorted set of the owner's key ids, scored by `createdAt`, so
 *   listings come oldest first.
 *
 * The braces make the owner the Redis Cluster hash tag (`%`, `{`, `}` in it are percent-encoded):
 * an owner's records and index share one slot, so `rotate` (new record, index, old record) and
 * every other change are one atomic Lua script, on a Cluster too, while different owners spread
 * over the masters. The id → owner string is the one key outside that slot; it never changes
 * after it is written, so it is written first and read without any coordination.
 *
 * Records are kept, revoked and expired ones too, like the memory store and a SQL table: listings
 * show them, and Redis should run with persistence and `maxmemory-policy noeviction`, as for any
 * data that is not a cache.
 *
 * Calls never wait longer than `timeoutMs`, fail at once while the client is reconnecting, and
 * reject with a {@link RedisStoreError}; a record the store did not write is one too
 * (`SEC_REDIS_REPLY`), never a wrong answer.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis'
 * import { createApiKeys } from '@sec/core/apikeys'
 * import { redisApiKeyStore } from '@sec/redis'
 *
 * const keys = createApiKeys({
 *   store: redisApiKeyStore(new Redis(process.env.REDIS_URL)),
 *   environment: 'live',
 *   pepper: process.env.API_KEY_PEPPER,
 * })
 * ```
 */
export function redisApiKeyStore(client: RedisClient, options?: RedisApiKeyStoreOptions): ApiKeyStore {
  assertRedisClient('redisApiKeyStore.client', client)
  const { prefix, timeoutMs } = resolveRedisApiKeyStoreOptions(options)
  const create = defineScript(client, createScript, 2)
  const revoke = defineScript(client, revokeScript, 1)
  const rotate = defineScript(client, rotateScript, 3)
  const touch = defineScript(client, touchScript, 1)
  const owners = new Map<string, string>()

  const ownerKey = (id: string): string => `${prefix}id:${id}`
  const recordKey = (owner: string, id: string): string => `${prefix}${hashTag(owner)}:key:${id}`
  const indexKey = (owner: string): string => `${prefix}${hashTag(owner)}:keys`

  function remember(id: string, owner: string): void {
    if (owners.size >= ownerCacheSize) owners.delete(owners.keys().next().value as string)
    owners.set(id, owner)
  }

  async function ownerOf(id: string): Promise<string | undefined> {
    const known = owners.get(id)
    if (known !== undefined) return known
    const owner = await client.get(ownerKey(id))
    if (owner === null || owner === '') return undefined
    remember(id, owner)
    return owner
  }

  /** The record in a script's reply, checked to be the one asked for. */
  function recordFrom(key: string, id: string, owner: string, fields: Record<string, string>): ApiKeyRecord {
    const record = parseRecord(key, fields)
    if (record.id !== id) throw malformedRecord(key, 'id')
    if (record.owner !== owner) throw malformedRecord(key, 'owner')
    return record
  }

  return {
    async create(record) {
      checkRecord('record', record)
      return attempt(client, timeoutMs, async () => {
        const { id, owner } = record
        if ((await client.set(ownerKey(id), owner, 'NX')) === null) throw exists(id)
        const fields = recordFields(record)
        const created = await create(
          recordKey(owner, id),
          indexKey(owner),
          String(record.createdAt),
          id,
          ...fields,
        )
        if (created !== 1) throw exists(id)
        remember(id, owner)
      })
    },

    async findById(id) {
      return attempt(client, timeoutMs, async () => {
        const owner = await ownerOf(id)
        if (owner === undefined) return undefined
        const key = recordKey(owner, id)
        const fields = await client.hgetall(key)
        return Object.keys(fields).length === 0 ? undefined : recordFrom(key, id, owner, fields)
      })
    },

    async listByOwner(owner) {
      // No record has an empty owner (create refuses one), and `{}` would be no hash tag.
      if (owner === '') return []
      return attempt(client, timeoutMs, async () => {
        const ids = await client.zrange(indexKey(owner), '0', '-1')
        const records = await Promise.all(
          ids.map(async (id) => {
            const key = recordKey(owner, id)
            const fields = await client.hgetall(key)
            return Object.keys(fields).length === 0 ? undefined : recordFrom(key, id, owner, fields)
          }),
        )
        return records.filter((record) => record !== undefined)
      })
    },

    async revoke(id, at) {
      checkTime('at', at)
      return attempt(client, timeoutMs, async () => {
        const owner = await ownerOf(id)
        if (owner === undefined) return undefined
        const key = recordKey(owner, id)
        const reply = await revoke(key, String(at))
        return reply === null ? undefined : recordFrom(key, id, owner, fieldsOf(reply))
      })
    },

    async rotate(id, replacement, graceEndsAt) {
      checkRecord('replacement', replacement)
      checkTime('graceEndsAt', graceEndsAt)
      return attempt(client, timeoutMs, async () => {
        const owner = await ownerOf(id)
        if (owner === undefined) return undefined
        if (replacement.owner !== owner)
          throw argumentError('the replacement must belong to the owner of the key it replaces.')
        const newId = replacement.id
        if ((await client.set(ownerKey(newId), owner, 'NX')) === null) throw exists(newId)
        const key = recordKey(owner, id)
        const reply = await rotate(
          key,
          recordKey(owner, newId),
          indexKey(owner),
          String(graceEndsAt),
          String(replacement.createdAt),
          newId,
          ...recordFields(replacement),
        )
        if (reply === 0) throw exists(newId)
        if (reply === null) {
          // Refused: the new id was claimed for nothing, so it is released.
          await client.del(ownerKey(newId))
          return undefined
        }
        remember(newId, owner)
        return recordFrom(key, id, owner, fieldsOf(reply))
      })
    },

    async touch(id, at) {
      checkTime('at', at)
      return attempt(client, timeoutMs, async () => {
        const owner = await ownerOf(id)
        if (owner !== undefined) await touch(recordKey(owner, id), String(at))
      })
    },
  }
}
