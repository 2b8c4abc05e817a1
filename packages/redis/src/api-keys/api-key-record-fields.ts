import type { ApiKeyRecord } from '@sec/core'
import { RedisStoreError } from '../errors/redis-store-error.js'

/**
 * A record as the field/value pairs of its Redis hash. Numbers are written as JavaScript prints
 * them (which reads back as the identical double), scopes as a JSON array, and `undefined`
 * members are left out.
 */
export function recordFields(record: ApiKeyRecord): string[] {
  const fields = [
    'id',
    record.id,
    'owner',
    record.owner,
    'kind',
    record.kind,
    'environment',
    record.environment,
    'scopes',
    JSON.stringify(record.scopes),
    'createdAt',
    String(record.createdAt),
    'hash',
    record.hash,
  ]
  if (record.name !== undefined) fields.push('name', record.name)
  if (record.expiresAt !== undefined) fields.push('expiresAt', String(record.expiresAt))
  if (record.revokedAt !== undefined) fields.push('revokedAt', String(record.revokedAt))
  if (record.lastUsedAt !== undefined) fields.push('lastUsedAt', String(record.lastUsedAt))
  if (record.replacedBy !== undefined) fields.push('replacedBy', record.replacedBy)
  return fields
}

/** A flat `[field, value, …]` reply (HGETALL inside a script) as an object. */
export function fieldsOf(reply: unknown): Record<string, string> {
  const fields: Record<string, string> = {}
  if (!Array.isArray(reply)) return fields
  for (let i = 0; i + 1 < reply.length; i += 2) fields[String(reply[i])] = String(reply[i + 1])
  return fields
}

const kinds: ReadonlySet<string> = new Set(['secret', 'publishable'])
const environments: ReadonlySet<string> = new Set(['live', 'test'])

/**
 * The error for a record at `key` the store did not write. It names the field, never its value:
 * the value may be the key's hash.
 */
export function malformedRecord(key: string, field: string): RedisStoreError {
  return new RedisStoreError(
    'SEC_REDIS_REPLY',
    `The API key record at ${key} in Redis is malformed: ${field}.`,
  )
}

/**
 * The record stored at `key`, checked field by field. A hash the store did not write (a missing
 * field, a number that is not one) rejects with a `SEC_REDIS_REPLY` {@link RedisStoreError} that
 * names the field, never its value: the value may be the key's hash.
 */
export function parseRecord(key: string, fields: Readonly<Record<string, string>>): ApiKeyRecord {
  const malformed = (field: string): never => {
    throw malformedRecord(key, field)
  }
  const text = (field: string): string => {
    const value = fields[field]
    return value === undefined || value === '' ? malformed(field) : value
  }
  const optionalTime = (field: string): number | undefined => {
    const value = fields[field]
    if (value === undefined) return undefined
    const time = Number(value)
    return value.trim() === '' || !Number.isFinite(time) ? malformed(field) : time
  }
  const kind = text('kind')
  const environment = text('environment')
  if (!kinds.has(kind)) malformed('kind')
  if (!environments.has(environment)) malformed('environment')
  let scopes: unknown
  try {
    scopes = JSON.parse(text('scopes'))
  } catch {
    malformed('scopes')
  }
  if (!Array.isArray(scopes) || !scopes.every((scope) => typeof scope === 'string')) malformed('scopes')
  return {
    id: text('id'),
    owner: text('owner'),
    kind: kind as ApiKeyRecord['kind'],
    environment: environment as ApiKeyRecord['environment'],
    scopes: scopes as string[],
    name: fields.name,
    createdAt: optionalTime('createdAt') ?? malformed('createdAt'),
    expiresAt: optionalTime('expiresAt'),
    revokedAt: optionalTime('revokedAt'),
    lastUsedAt: optionalTime('lastUsedAt'),
    replacedBy: fields.replacedBy,
    hash: text('hash'),
  }
}
