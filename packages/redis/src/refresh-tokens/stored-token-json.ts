import type { StoredRefreshToken } from '@sec/core'
import { RedisStoreError } from '../errors/redis-store-error.js'

type Check = (value: unknown) => boolean

const text: Check = (value) => typeof value === 'string'
const time: Check = (value) => typeof value === 'number' && Number.isFinite(value)
const required: Readonly<Record<string, Check>> = {
  hash: text,
  familyId: text,
  subject: text,
  scope: text,
  accessTokenId: text,
  accessTokenExpiresAt: time,
  expiresAt: time,
  familyExpiresAt: time,
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * The stored token in `json`, read from `key`, checked member by member. JSON the store did not
 * write rejects with a `SEC_REDIS_REPLY` {@link RedisStoreError} naming the member, never a value.
 */
export function parseStoredToken(key: string, json: string): StoredRefreshToken {
  const malformed = (member: string): never => {
    throw new RedisStoreError(
      'SEC_REDIS_REPLY',
      `The refresh token at ${key} in Redis is malformed: ${member}.`,
    )
  }
  let token: unknown
  try {
    token = JSON.parse(json)
  } catch {
    malformed('not JSON')
  }
  if (!isObject(token)) return malformed('not an object')
  for (const [member, check] of Object.entries(required)) if (!check(token[member])) malformed(member)
  if (token.clientId !== undefined && !text(token.clientId)) malformed('clientId')
  if (token.claims !== undefined && !isObject(token.claims)) malformed('claims')
  return token as unknown as StoredRefreshToken
}
