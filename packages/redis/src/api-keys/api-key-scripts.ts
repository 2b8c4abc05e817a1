/**
 * The scripts of the API key store. Every one touches only keys of one owner (`${prefix}{owner}:…`),
 * which share a slot, so each runs atomically on a single node, on a Redis Cluster too. Numbers
 * arrive as JavaScript printed them and are written back as given, never re-printed by Lua.
 */

/**
 * Stores a new record and indexes it under its owner.
 * KEYS: the record, the owner's index. ARGV: createdAt, id, then the record's field/value pairs.
 * Reply: 1, or 0 (nothing written) when a record already exists under that key.
 */
export const createScript = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV, 3))
redis.call('ZADD', KEYS[2], ARGV[1], ARGV[2])
return 1
`

/**
 * Sets `revokedAt` unless it is set already.
 * KEYS: the record. ARGV: the time. Reply: the record's fields after the call, or nil when unknown.
 */
export const revokeScript = `
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
redis.call('HSETNX', KEYS[1], 'revokedAt', ARGV[1])
return redis.call('HGETALL', KEYS[1])
`

/**
 * Rotates in one step: refuses (nil, nothing written) when the old record is unknown, revoked or
 * already rotated; otherwise stores the replacement, indexes it, and sets the old record's
 * `replacedBy` and `expiresAt` (the grace end, or its own expiry when that is earlier).
 * KEYS: the old record, the replacement's record, the owner's index.
 * ARGV: graceEndsAt, the replacement's createdAt, its id, then its field/value pairs.
 * Reply: the old record's fields after the call, nil when refused, or 0 when the replacement's key
 * is taken.
 */
export const rotateScript = `
local old = redis.call('HMGET', KEYS[1], 'id', 'revokedAt', 'replacedBy', 'expiresAt')
if not old[1] or old[2] or old[3] then return false end
if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
local expiresAt = ARGV[1]
if old[4] and tonumber(old[4]) <= tonumber(ARGV[1]) then expiresAt = old[4] end
redis.call('HSET', KEYS[2], unpack(ARGV, 4))
redis.call('ZADD', KEYS[3], ARGV[2], ARGV[3])
redis.call('HSET', KEYS[1], 'replacedBy', ARGV[3], 'expiresAt', expiresAt)
return redis.call('HGETALL', KEYS[1])
`

/**
 * Moves `lastUsedAt` forward, never back; an unknown record is left alone (nothing is created).
 * KEYS: the record. ARGV: the time. Reply: 1 when written, 0 otherwise.
 */
export const touchScript = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local last = tonumber(redis.call('HGET', KEYS[1], 'lastUsedAt'))
if last ~= nil and last >= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'lastUsedAt', ARGV[1])
return 1
`
