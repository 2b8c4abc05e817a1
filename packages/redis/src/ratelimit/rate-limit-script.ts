/**
 * The atomic decision of every algorithm, run by Redis with EVALSHA. It computes exactly what
 * `@sec/core`'s memory store computes (`decideTokenBucket`, `decideFixedWindow`,
 * `decideSlidingWindow`, `decideSlidingLog`), on Redis's own clock: the same state, and the same
 * double operations in the same order, so both give identical answers for identical inputs (a
 * property test runs the core functions and this script side by side).
 *
 * KEYS[1]: the limiter's key. ARGV: algorithm, limit, period (ms), cost (0 = peek).
 * Reply: { allowed (1|0), remaining, reset (ms), retryAfter (ms) }, all integers.
 *
 * Why it is written this way:
 * - `TIME` is the only clock, so every app server sees the same windows whatever its own clock says.
 * - Clock readings are large (about 1.7e12 ms, where a double resolves only 2.4e-4 ms): they are
 *   only ever subtracted from each other before a period or a cost is added, never the reverse,
 *   so no rounding piles up. That is why a token bucket is kept as two numbers, the time of its
 *   last write and its debt (ms until full), rather than one theoretical arrival time.
 * - Redis turns a Lua number into an integer reply by truncation, so only whole numbers are
 *   returned; fractional state (times, debts, fractional costs) is stored as `%.17g` text, which
 *   parses back to the identical double (`tostring` keeps only 14 digits and would drift).
 * - Every write sets a TTL of at least 1 ms, so no key outlives its usefulness.
 * - State of the wrong type or shape (another algorithm under the same name, a value that is not
 *   the script's own format) is treated as absent and replaced at the next write, rather than
 *   failing every decision until it expires.
 * - Windows are stored by their number (`floor(now / period)`), an integer, so "same window" and
 *   "previous window" compare exactly even when the period is not an integer. (The memory store
 *   names a window by its end instead; both name the same window.)
 */
export const rateLimitScript = `
local key = KEYS[1]
local algorithm = ARGV[1]
local limit = tonumber(ARGV[2])
local period = tonumber(ARGV[3])
local cost = tonumber(ARGV[4])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + tonumber(time[2]) / 1000
local eps = 1e-9 * limit
local ask = cost
if cost <= 0 then ask = 1 end

local function exact(x)
  return string.format('%.17g', x)
end

local function ttl(ms)
  local whole = math.ceil(ms)
  if whole < 1 then whole = 1 end
  return string.format('%d', whole)
end

local function up(ms)
  local whole = math.ceil(ms)
  if whole < 0 then return 0 end
  return whole
end

local function remaining(used)
  local left = math.floor(limit - used + eps)
  if left < 0 then return 0 end
  return left
end

-- Reads a stored number; text that is not one (written by something else) counts as 0.
local function number(text)
  return tonumber(text) or 0
end

-- Reads a stored number that must be finite; anything else (nan, inf, words, nothing) is nil.
local function finite(text)
  local x = text and tonumber(text)
  if x and x > -math.huge and x < math.huge then return x end
  return nil
end

local function read(...)
  local reply = redis.pcall(...)
  if type(reply) == 'table' and reply.err then
    redis.call('DEL', key)
    return false
  end
  return reply
end

if algorithm == 'token-bucket' then
  -- State: '<at> <debt>', the time of the last write and the ms from it until the bucket is full.
  local interval = period / limit
  local slack = 1e-9 * period
  local debt0 = 0
  local text = read('GET', key)
  if text then
    local at, debt = string.match(text, '^(%S+) (%S+)$')
    at, debt = finite(at), finite(debt)
    if at and debt and debt >= 0 then
      local elapsed = now - at
      if debt > elapsed then debt0 = debt - elapsed end
    end
  end
  local over = debt0 + ask * interval - period - slack
  local allowed = over <= 0
  local debt = debt0
  if allowed and cost > 0 then
    debt = debt0 + cost * interval
    redis.call('SET', key, exact(now) .. ' ' .. exact(debt), 'PX', ttl(debt))
  end
  local left = math.floor((period - debt + slack) / interval)
  if left < 0 then left = 0 end
  -- Half the tolerance comes off before rounding up: a drained bucket of 60 per second reports
  -- 1000 ms, not 1001, and the cost still passes at exactly now + retryAfter.
  local reset = 0
  if debt > slack / 2 then reset = up(debt - slack / 2) end
  local retry = 0
  if not allowed then retry = up(over + slack / 2) end
  return { allowed and 1 or 0, left, reset, retry }
end

if algorithm == 'fixed-window' then
  local window = math.floor(now / period)
  local start = window * period
  local state = read('HMGET', key, 'w', 'n')
  local count = 0
  if state and tonumber(state[1]) == window then count = tonumber(state[2]) or 0 end
  local allowed = count + ask <= limit + eps
  local left = start - now + period
  if allowed and cost > 0 then
    count = count + cost
    redis.call('HSET', key, 'w', exact(window), 'n', exact(count))
    redis.call('PEXPIRE', key, ttl(left))
  end
  local reset = 0
  if count > 0 then reset = up(left) end
  local retry = 0
  if not allowed then retry = up(left) end
  return { allowed and 1 or 0, remaining(count), reset, retry }
end

if algorithm == 'sliding-window' then
  local window = math.floor(now / period)
  local offset = window * period - now
  local state = read('HMGET', key, 'w', 'p', 'c')
  local prev, curr = 0, 0
  if state then
    local stored = tonumber(state[1])
    if stored == window then
      prev = tonumber(state[2]) or 0
      curr = tonumber(state[3]) or 0
    elseif stored == window - 1 then
      prev = tonumber(state[3]) or 0
    end
  end
  local estimate = prev * ((offset + period) / period) + curr
  local allowed = estimate + ask <= limit + eps
  local used = estimate
  if allowed and cost > 0 then
    curr = curr + cost
    used = estimate + cost
    redis.call('HSET', key, 'w', exact(window), 'p', exact(prev), 'c', exact(curr))
    redis.call('PEXPIRE', key, ttl(offset + 2 * period))
  end
  local reset = 0
  if curr > 0 then reset = up(offset + 2 * period) elseif prev > 0 then reset = up(offset + period) end
  local retry = 0
  if not allowed then
    -- Solved for half the tolerance, so a wait that is a whole ms in exact arithmetic is not
    -- rounded up to the next one. In a denial, curr <= room means prev > 0 and curr > room means
    -- curr > 0: neither branch divides by zero.
    local room = limit + eps / 2 - ask
    if curr <= room then
      retry = up(offset + period * (1 - (room - curr) / prev))
    else
      retry = up(offset + period + period * (1 - room / curr))
    end
  end
  return { allowed and 1 or 0, remaining(used), reset, retry }
end

if algorithm == 'sliding-log' then
  local entries = read('LRANGE', key, 0, -1) or {}
  local count = #entries
  if count % 2 == 1 then
    -- Not a list of (time, cost) pairs: another writer's, discarded like state of another type.
    redis.call('DEL', key)
    entries = {}
    count = 0
  end
  local first = 1
  while first < count and now - number(entries[first]) >= period do first = first + 2 end
  if first > 1 then redis.call('LTRIM', key, first - 1, -1) end
  local used0 = 0
  for i = first + 1, count, 2 do used0 = used0 + number(entries[i]) end
  local newest = nil
  if count > first then newest = number(entries[count - 1]) end
  local allowed = used0 + ask <= limit
  local used = used0
  if allowed and cost > 0 then
    used = used0 + cost
    newest = now
    redis.call('RPUSH', key, exact(now), exact(cost))
    redis.call('PEXPIRE', key, ttl(period))
  end
  local retry = 0
  if not allowed then
    -- The oldest entries whose expiry frees enough; the newest one always does, as cost <= limit.
    local at = first
    local freed = 0
    while at < count - 1 do
      freed = freed + number(entries[at + 1])
      if used0 - freed + ask <= limit then break end
      at = at + 2
    end
    retry = up(number(entries[at]) - now + period)
  end
  local reset = 0
  if newest then reset = up(newest - now + period) end
  local left = limit - used
  if left < 0 then left = 0 end
  return { allowed and 1 or 0, left, reset, retry }
end

return redis.error_reply('ERR unknown rate-limit algorithm ' .. tostring(algorithm))
`
