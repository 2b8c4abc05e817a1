/**
 * Records a revocation, keeping the later end when the id is already revoked (as the memory store
 * does), in one atomic step.
 *
 * KEYS[1]: the revocation's key. ARGV: `until` (ms since the epoch, as JavaScript wrote it), the
 * TTL in ms (`until - now` on the store's clock, at least 1). Reply: 1 when written, 0 when an
 * entry with a later or equal end was kept. A value that is not a number is overwritten.
 */
export const revokeScript = `
local current = tonumber(redis.call('GET', KEYS[1]))
if current ~= nil and current >= tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
`
