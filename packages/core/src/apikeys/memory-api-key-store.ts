import * as v from 'valibot'
import { parseOptions } from '../config/index.js'
import { SecError } from '../errors/index.js'
import { type Clock, systemClock } from '../pipeline/index.js'
import type { ApiKeyRecord, ApiKeyStore } from './api-key-store.js'

/** Options of {@link memoryApiKeyStore}. */
export interface MemoryApiKeyStoreOptions {
  /**
   * The most records kept. When full, records that are revoked or expired are dropped first; if
   * none is, `create` rejects with a `SecError` of code `SEC_API_KEY_STORE_FULL`. Default: `100000`.
   */
  readonly maxKeys?: number
  /** The clock that decides which records have expired. Default: `Date.now`. */
  readonly clock?: Clock
}

const optionsSchema = v.strictObject({
  maxKeys: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
  clock: v.optional(
    v.custom<Clock>((x) => typeof (x as Clock | null)?.now === 'function', 'Expected { now(): number }'),
  ),
})

/**
 * Keys in memory, for development, tests and single-process deployments that issue few keys: they
 * are gone when the process ends. Bounded by `maxKeys`.
 */
export function memoryApiKeyStore(options?: MemoryApiKeyStoreOptions): ApiKeyStore {
  const parsed = parseOptions('memoryApiKeyStore', optionsSchema, options)
  const maxKeys = parsed.maxKeys ?? 100_000
  const clock = parsed.clock ?? systemClock
  const records = new Map<string, ApiKeyRecord>()

  function dropInactive(): void {
    const now = clock.now()
    for (const [id, record] of records)
      if (record.revokedAt !== undefined || (record.expiresAt !== undefined && record.expiresAt <= now))
        records.delete(id)
  }

  function insert(record: ApiKeyRecord): void {
    if (records.has(record.id))
      throw new SecError('SEC_API_KEY_EXISTS', `An API key with id ${record.id} exists.`)
    if (records.size >= maxKeys) dropInactive()
    if (records.size >= maxKeys)
      throw new SecError('SEC_API_KEY_STORE_FULL', `The memory API key store holds ${maxKeys} active keys.`)
    records.set(record.id, { ...record, scopes: [...record.scopes] })
  }

  return {
    async create(record) {
      insert(record)
    },
    async findById(id) {
      return records.get(id)
    },
    async listByOwner(owner) {
      const out: ApiKeyRecord[] = []
      for (const record of records.values()) if (record.owner === owner) out.push(record)
      return out
    },
    async revoke(id, at) {
      const record = records.get(id)
      if (record === undefined) return undefined
      if (record.revokedAt !== undefined) return record
      const revoked = { ...record, revokedAt: at }
      records.set(id, revoked)
      return revoked
    },
    async rotate(id, replacement, graceEndsAt) {
      const record = records.get(id)
      if (record === undefined || record.revokedAt !== undefined || record.replacedBy !== undefined)
        return undefined
      insert(replacement)
      const expiresAt = record.expiresAt === undefined ? graceEndsAt : Math.min(record.expiresAt, graceEndsAt)
      const rotated = { ...record, expiresAt, replacedBy: replacement.id }
      records.set(id, rotated)
      return rotated
    },
    async touch(id, at) {
      const record = records.get(id)
      if (record !== undefined && (record.lastUsedAt === undefined || record.lastUsedAt < at))
        records.set(id, { ...record, lastUsedAt: at })
    },
  }
}
