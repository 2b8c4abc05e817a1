import type { LimitAlgorithm } from '@sec/core'

/**
 * The atomic decision of each algorithm, one script per algorithm, run by Redis with EVALSHA. Each
 * computes exactly what `@sec/core`'s memory store computes (`decideTokenBucket`,
 * `decideFixedWindow`, `decideSlidingWindow`, `decideSlidingLog`), on Redis's own clock: the same
 * state, and the same double operations in the same order, so both give identical answers for
 * identical inputs (a property test runs the core functions and these scripts side by side).
 *
 * KEYS[1]: the limiter's key. ARGV: limit, period (ms), cost (0 = peek).
 * Reply: one integer, or a short text when the integer form does not apply; `rate-limit-reply.ts`
 * turns either into the decision. With `radix = floor(2 * period) + 3`, above any whole-ms wait:
 * - token bucket, sliding window, sliding log: an admission is `remaining * radix + reset`; a
 *   denial, or an admission whose integer would reach 2^53, is the text
 *   `allowed remaining reset retryAfter` (whole numbers, `%d`).
 * - fixed window: `count * radix + wait`, where `count` is the cost the window held before this
 *   decision and `wait` the ms until the window ends, rounded up; or the text `count wait` when
 *   the count is fractional or the integer would reach 2^53. The store derives the decision from
 *   these two numbers with the core's own arithmetic, denials included.
 * Returning a table costs Redis about as much as an extra command; an integer costs least, and
 * a short text less than a table.
 *
 * Why they are written this way:
 * - `TIME` is the only clock, so every app server sees the same windows whatever its own clock says.
 * - Clock readings are large (about 1.7e12 ms, where a double resolves only 2.4e-4 ms): they are
 *   only ever subtracted from each other before a period or a cost is added, never the reverse,
 *   so no rounding piles up. That is why a token bucket is kept as two numbers, the time of its
 *   last write and its debt (ms until full), rather than one theoretical arrival time.
 * - One script per algorithm, straight-line code without closures: a decision runs only its own
 *   algorithm, and every Lua operation is time Redis's single thread spends on it.
 * - The fixed window keeps one counter per window, under the key `KEYS[1]:<window number>`, and
 *   adds to it with INCRBY, which creates it when absent: no read, no unpacking, and a TTL set
 *   (PEXPIRE to the window's end) only by the decision that created it. A new window is a new key,
 *   so nothing has to compare or reset a stored window, and the last one simply expires. The
 *   suffix comes after the `{hash tag}`, so the counter is in KEYS[1]'s cluster slot. A denial
 *   takes its cost back with DECRBY (rare: the limiter's block cache answers repeats without
 *   Redis). INCRBY adds whole numbers only: a fractional cost, a peek, or a counter that holds a
 *   fractional count (INCRBY refuses it) goes through GET and a `%.17g` SET instead, with the
 *   core's double arithmetic; the store refuses limits above 2^52, so every whole count is also an
 *   exact double. Text that is not a count, a negative count or a key of another type reads as
 *   absent and is replaced. State of the earlier format (packed doubles under KEYS[1] itself) is
 *   never read, and expires. A reset deletes the current counter, with its own script on the
 *   same clock.
 * - The other states are strings of little-endian doubles (`struct.pack`), which read back as the
 *   identical doubles at a fraction of the cost of formatting and parsing `%.17g` text; a string of
 *   another length, or holding numbers the script never writes (not finite, negative counts), is
 *   treated as absent. The sliding log keeps one list entry per number, in `%.17g` text, which
 *   reads back as the identical double (`tostring` keeps only 14 digits and would drift).
 * - Redis turns a Lua number into an integer reply by truncation, so only whole numbers below 2^53
 *   are returned as integers. TTLs and window numbers go to Redis as `%d` text: a Lua number there
 *   would be formatted as a double (`%.17g`), which costs more.
 * - Every write sets a TTL of at least 1 ms, so no key outlives its usefulness.
 * - State of another type under the key (another algorithm under the same name) is deleted and
 *   treated as absent, rather than failing every decision until it expires.
 * - Windows are named by their number (`floor(now / period)`), an integer, so "same window" and
 *   "previous window" compare exactly even when the period is not an integer. (The memory store
 *   names a window by its end instead; both name the same window.)
 */

/**
 * Reads the arguments. Arithmetic converts a string once, as `tonumber` would, where `tonumber`
 * converts it twice (a check, then the value): that is most of the cost of reading them.
 */
const argumentLines = 'local limit, period, cost = ARGV[1] + 0, ARGV[2] + 0, ARGV[3] + 0'

/** Reads Redis's clock in ms; arithmetic on TIME's strings converts them as `tonumber` would. */
const clock = `local time = redis.call('TIME')
local now = time[1] * 1000 + time[2] / 1000`

/** Reads the key's value of type string; a value of another type is deleted and reads as absent. */
const readString = `local state = redis.pcall('GET', key)
if type(state) == 'table' then
  redis.call('DEL', key)
  state = false
end`

/** The base of the integer replies: above every whole-ms wait a script reports. */
const radixLines = `local radix = 2 * period
radix = radix - radix % 1 + 3`

/**
 * Replies with `left` units remaining and `reset` ms: an admission as one integer when it fits
 * below 2^53 (exact, and decodable as long as reset < radix), otherwise and for a denial as text.
 * `retry` is only read for a denial.
 */
function replyLines(left: string, reset: string, retry: string): string {
  return `${radixLines}
if allowed then
  if ${reset} < radix then
    local packed = ${left} * radix + ${reset}
    if packed < 9007199254740992 then return packed end
  end
  return string.format('1 %d %d 0', ${left}, ${reset})
end
${retry}
return string.format('0 %d %d %d', ${left}, ${reset}, retry)`
}

// Every number this script rounds is above 0 or clamped to 0 after: for those, `x - x % 1` is
// exactly `math.floor(x)` (the VM computes `x % 1` as `x - floor(x)`, which is exact), without the
// cost of a library call, and the ceiling is that plus 1 when it falls short of x.
const tokenBucketScript = `local key = KEYS[1]
${argumentLines}
${clock}
local interval = period / limit
local slack = 1e-9 * period
local ask = cost
if cost <= 0 then ask = 1 end
-- State: <at><debt>, the time of the last write and the ms from it until the bucket is full.
local debt0 = 0
${readString}
if state and #state == 16 then
  local at, debt = struct.unpack('<dd', state)
  if debt >= 0 and debt < math.huge and at > -math.huge and at < math.huge then
    local elapsed = now - at
    if debt > elapsed then debt0 = debt - elapsed end
  end
end
local over = debt0 + ask * interval - period - slack
local allowed = over <= 0
local debt = debt0
if allowed and cost > 0 then
  debt = debt0 + cost * interval
  local ttl = debt - debt % 1
  if ttl < debt then ttl = ttl + 1 end
  if ttl < 1 then ttl = 1 end
  redis.call('SET', key, struct.pack('<dd', now, debt), 'PX', string.format('%d', ttl))
end
local left = (period - debt + slack) / interval
left = left - left % 1
if left < 0 then left = 0 end
-- Half the tolerance comes off before rounding up: a drained bucket of 60 per second reports
-- 1000 ms, not 1001, and the cost still passes at exactly now + retryAfter.
local reset = 0
if debt > slack / 2 then
  reset = debt - slack / 2
  local whole = reset - reset % 1
  if whole < reset then reset = whole + 1 end
end
${replyLines(
  'left',
  'reset',
  `local retry = over + slack / 2
local whole = retry - retry % 1
if whole < retry then retry = whole + 1 end`,
)}
`

// The fixed window's common decision (a whole cost, a counter holding a whole count) runs first and
// returns at once; everything it reads is parsed only where needed: each Lua operation counts here.
const fixedWindowScript = `local period, cost = ARGV[2] + 0, ARGV[3] + 0
${clock}
local window = now / period
window = window - window % 1
-- Relative to now first: subtracting two large clock readings is exact, adding a period rounds.
local left = window * period - now + period
local wait = left - left % 1
if wait < left then wait = wait + 1 end
local counter = KEYS[1] .. ':' .. string.format('%d', window)
-- The counter lives until the window ends: at least 1 ms.
local ttl = wait
if ttl < 1 then ttl = 1 end
-- count: the cost admitted in this window before this decision.
local count
if cost > 0 and cost % 1 == 0 then
  local after = redis.pcall('INCRBY', counter, ARGV[3])
  if after == cost then
    redis.call('PEXPIRE', counter, string.format('%d', ttl))
    return wait
  end
  if type(after) == 'number' then
    if after > cost then
      count = after - cost
      local limit = ARGV[1] + 0
      if after > limit + 1e-9 * limit then redis.call('DECRBY', counter, ARGV[3]) end
    else
      -- A negative count, never written here: absent, so the cost (at most the limit) is admitted.
      count = 0
      redis.call('SET', counter, ARGV[3], 'PX', string.format('%d', ttl))
    end
  end
end
if not count then
  -- A peek, a fractional cost, or a counter INCRBY refused: a fractional count, text that is not
  -- a count, or another type.
  count = 0
  local stored = redis.pcall('GET', counter)
  if type(stored) == 'table' then
    redis.call('DEL', counter)
  elseif stored then
    count = tonumber(stored)
    if not (count and count >= 0 and count < math.huge) then count = 0 end
  end
  local limit = ARGV[1] + 0
  if cost > 0 and count + cost <= limit + 1e-9 * limit then
    redis.call('SET', counter, string.format('%.17g', count + cost), 'PX', string.format('%d', ttl))
  end
  if count % 1 ~= 0 then return string.format('%.17g %d', count, wait) end
end
${radixLines}
local packed = count * radix + wait
if packed < 9007199254740992 then return packed end
return string.format('%.17g %d', count, wait)
`

const slidingWindowScript = `local key = KEYS[1]
${argumentLines}
${clock}
local eps = 1e-9 * limit
local ask = cost
if cost <= 0 then ask = 1 end
local window = math.floor(now / period)
local offset = window * period - now
-- State: <window><prev><curr>, the current window's number and the cost admitted in it and in
-- the window before.
local prev, curr = 0, 0
${readString}
if state and #state == 24 then
  local stored, before, current = struct.unpack('<ddd', state)
  if before >= 0 and before < math.huge and current >= 0 and current < math.huge then
    if stored == window then
      prev, curr = before, current
    elseif stored == window - 1 then
      prev = current
    end
  end
end
local estimate = prev * ((offset + period) / period) + curr
local allowed = estimate + ask <= limit + eps
local used = estimate
if allowed and cost > 0 then
  curr = curr + cost
  used = estimate + cost
  local ttl = math.ceil(offset + 2 * period)
  if ttl < 1 then ttl = 1 end
  redis.call('SET', key, struct.pack('<ddd', window, prev, curr), 'PX', string.format('%d', ttl))
end
local remaining = math.floor(limit - used + eps)
if remaining < 0 then remaining = 0 end
local reset = 0
if curr > 0 then reset = math.ceil(offset + 2 * period) elseif prev > 0 then reset = math.ceil(offset + period) end
if reset < 0 then reset = 0 end
${replyLines(
  'remaining',
  'reset',
  `-- Solved for half the tolerance, so a wait that is a whole ms in exact arithmetic is not rounded
-- up to the next one. In a denial, curr <= room means prev > 0 and curr > room means curr > 0:
-- neither branch divides by zero.
local room = limit + eps / 2 - ask
local retry
if curr <= room then
  retry = math.ceil(offset + period * (1 - (room - curr) / prev))
else
  retry = math.ceil(offset + period + period * (1 - room / curr))
end
if retry < 0 then retry = 0 end`,
)}
`

const slidingLogScript = `local key = KEYS[1]
${argumentLines}
${clock}
local ask = cost
if cost <= 0 then ask = 1 end
-- State: a list of (time, cost) pairs in %.17g text, oldest first; text that is not a number
-- (written by something else) counts as 0.
local entries = redis.pcall('LRANGE', key, 0, -1)
if type(entries) ~= 'table' or entries.err then
  redis.call('DEL', key)
  entries = {}
end
local count = #entries
if count % 2 == 1 then
  -- Not a list of (time, cost) pairs: another writer's, discarded like state of another type.
  redis.call('DEL', key)
  entries = {}
  count = 0
end
local first = 1
while first < count and now - (tonumber(entries[first]) or 0) >= period do first = first + 2 end
if first > 1 then redis.call('LTRIM', key, first - 1, -1) end
local used0 = 0
for i = first + 1, count, 2 do used0 = used0 + (tonumber(entries[i]) or 0) end
local newest = nil
if count > first then newest = tonumber(entries[count - 1]) or 0 end
local allowed = used0 + ask <= limit
local used = used0
if allowed and cost > 0 then
  used = used0 + cost
  newest = now
  redis.call('RPUSH', key, string.format('%.17g', now), string.format('%.17g', cost))
  local ttl = math.ceil(period)
  if ttl < 1 then ttl = 1 end
  redis.call('PEXPIRE', key, string.format('%d', ttl))
end
local retry = 0
if not allowed then
  -- The oldest entries whose expiry frees enough; the newest one always does, as cost <= limit.
  local at = first
  local freed = 0
  while at < count - 1 do
    freed = freed + (tonumber(entries[at + 1]) or 0)
    if used0 - freed + ask <= limit then break end
    at = at + 2
  end
  retry = math.ceil((tonumber(entries[at]) or 0) - now + period)
  if retry < 0 then retry = 0 end
end
local reset = 0
if newest then
  reset = math.ceil(newest - now + period)
  if reset < 0 then reset = 0 end
end
local left = limit - used
if left < 0 then left = 0 end
${replyLines('left', 'reset', '')}
`

/** The decision script of each algorithm. */
export const rateLimitScripts: Readonly<Record<LimitAlgorithm, string>> = {
  'token-bucket': tokenBucketScript,
  'fixed-window': fixedWindowScript,
  'sliding-window': slidingWindowScript,
  'sliding-log': slidingLogScript,
}

/**
 * Deletes a fixed window's state: the counter of the current window, named as the decision script
 * names it, on the same clock. KEYS[1]: the limiter's key. ARGV: period (ms).
 */
export const fixedWindowResetScript = `local period = ARGV[1] + 0
${clock}
local window = now / period
window = window - window % 1
return redis.call('DEL', KEYS[1] .. ':' .. string.format('%d', window))
`
