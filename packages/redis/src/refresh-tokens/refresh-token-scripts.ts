/**
 * The scripts of the refresh token store. Each touches only keys of one family
 * (`${prefix}{familyId}:…`), which share a slot, so each runs atomically on a single node, on a
 * Redis Cluster too. Times arrive as JavaScript printed them and are stored as given.
 *
 * A family's keys: `:token:<hash>` (a hash: `token` the stored token as JSON, `expiresAt`,
 * `spentAt` once spent; expires with the token), `:tokens` (the set of its token hashes; expires
 * with the family) and `:revoked` (present once revoked; expires with the family).
 */

/**
 * Saves a new, unspent token, unless the family was revoked.
 * KEYS: the token, the family's set, the family's revoked flag.
 * ARGV: the token as JSON, its expiresAt, its hash, its TTL (ms), the family's TTL (ms).
 * Reply: 1 when saved, 0 when the family is revoked (nothing written).
 */
export const addScript = `
if redis.call('EXISTS', KEYS[3]) == 1 then return 0 end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'token', ARGV[1], 'expiresAt', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
redis.call('SADD', KEYS[2], ARGV[3])
if redis.call('PTTL', KEYS[2]) < tonumber(ARGV[5]) then redis.call('PEXPIRE', KEYS[2], ARGV[5]) end
return 1
`

/**
 * Finds a token's state and, when it is active, spends it in the same step, so that of any number
 * of concurrent calls exactly one sees it active. The order of the checks is the memory store's:
 * revoked family (or a family Redis no longer holds), then spent, then expired.
 * KEYS: the token, the family's set, the family's revoked flag. ARGV: now (ms).
 * Reply: nil for an unknown token, else { state, token JSON } with spentAt third for a spent one.
 */
export const consumeScript = `
local token = redis.call('HMGET', KEYS[1], 'token', 'expiresAt', 'spentAt')
if not token[1] then return false end
if redis.call('EXISTS', KEYS[3]) == 1 or redis.call('EXISTS', KEYS[2]) == 0 then
  return { 'revoked', token[1] }
end
if token[3] then return { 'spent', token[1], token[3] } end
if tonumber(token[2]) <= tonumber(ARGV[1]) then return { 'expired', token[1] } end
redis.call('HSET', KEYS[1], 'spentAt', ARGV[1])
return { 'active', token[1] }
`

/**
 * Revokes a family Redis holds, for the rest of its lifetime, and lists its token hashes; an
 * unknown family is left alone, as in the memory store.
 * KEYS: the family's set, the family's revoked flag. Reply: the hashes (empty when unknown).
 */
export const revokeFamilyScript = `
local ttl = redis.call('PTTL', KEYS[1])
if ttl == -2 then return {} end
if ttl > 0 then
  redis.call('SET', KEYS[2], '1', 'PX', ttl)
else
  redis.call('SET', KEYS[2], '1')
end
return redis.call('SMEMBERS', KEYS[1])
`
