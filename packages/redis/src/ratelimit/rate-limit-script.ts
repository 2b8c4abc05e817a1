/**
 * The atomic decision of every algorithm, run by Redis with EVALSHA. It implements the same math
 * as `@sec/core`'s memory store (documented in `LimitPolicy`'s algorithms), on Redis's own clock.
 *
 * KEYS[1]: the limiter's key. ARGV: algorithm, limit, period (ms), cost (0 = peek).
 * Reply: { allowed (1|0), remaining, reset (ms), retryAfter (ms) }, all integers.
 *
 * Why it is written this way:
 * - `TIME` is the only clock, so every app server sees the same windows whatever its own clock says.
 * - Redis turns a Lua number into an integer reply by truncation, so only whole numbers are
 *   returned; fractional state (arrival times, fractional costs) is stored as `%.17g` strings,
 *   which parse back to the identical double (`tostring` keeps only 14 digits and would drift).
 * - Every write sets a TTL of at least 1 ms, so no key outlives its usefulness.
 * - State of the wrong type (another algorithm under the same name) is discarded rather than
 *   failing every decision until it expires.
 * - Windows are stored by their number (`floor(now / period)`), an integer, so "same window" and
 *   "previous window" compare exactly even when the period is not an integer.
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

local function read(...)
  local reply = redis.pcall(...)
  if type(reply) == 'table' and reply.err then
    redis.call('DEL', key)
    return false
  end
  return reply
end

if algorithm == 'token-bucket' then
  local emission = period / limit
  local tat = tonumber(read('GET', key)) or now
  if tat < now then tat = now end
  local used0 = (tat - now) / emission
  local allowed = used0 + ask <= limit + eps
  local used = used0
  if allowed and cost > 0 then
    used = used0 + cost
    local next = tat + cost * emission
    redis.call('SET', key, exact(next), 'PX', ttl(next - now))
  end
  local retry = 0
  if not allowed then retry = up((used0 + ask - limit) * emission) end
  return { allowed and 1 or 0, remaining(used), up(used * emission), retry }
end

if algorithm == 'fixed-window' then
  local window = math.floor(now / period)
  local finish = window * period + period
  local state = read('HMGET', key, 'w', 'n')
  local count = 0
  if state and tonumber(state[1]) == window then count = tonumber(state[2]) or 0 end
  local allowed = count + ask <= limit + eps
  if allowed and cost > 0 then
    count = count + cost
    redis.call('HSET', key, 'w', exact(window), 'n', exact(count))
    redis.call('PEXPIRE', key, ttl(finish - now))
  end
  local reset = 0
  if count > 0 then reset = up(finish - now) end
  local retry = 0
  if not allowed then retry = up(finish - now) end
  return { allowed and 1 or 0, remaining(count), reset, retry }
end

if algorithm == 'sliding-window' then
  local window = math.floor(now / period)
  local start = window * period
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
  local weight = (start + period - now) / period
  local estimate = prev * weight + curr
  local allowed = estimate + ask <= limit + eps
  local used = estimate
  if allowed and cost > 0 then
    curr = curr + cost
    used = estimate + cost
    redis.call('HSET', key, 'w', exact(window), 'p', exact(prev), 'c', exact(curr))
    redis.call('PEXPIRE', key, ttl(start + 2 * period - now))
  end
  local reset = 0
  if curr > 0 then reset = up(start + 2 * period - now) elseif prev > 0 then reset = up(start + period - now) end
  local retry = 0
  if not allowed then
    if curr + ask <= limit and prev > 0 then
      retry = up(start + period * (1 - (limit - curr - ask) / prev) - now)
    elseif curr > 0 then
      retry = up(start + period + period * (1 - (limit - ask) / curr) - now)
    else
      retry = up(start + 2 * period - now)
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
  while first < count and number(entries[first]) <= now - period do first = first + 2 end
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
    retry = up(period)
    local freed = 0
    for i = first, count - 1, 2 do
      freed = freed + number(entries[i + 1])
      if used0 - freed + ask <= limit then
        retry = up(number(entries[i]) + period - now)
        break
      end
    end
  end
  local reset = 0
  if newest then reset = up(newest + period - now) end
  local left = limit - used
  if left < 0 then left = 0 end
  return { allowed and 1 or 0, left, reset, retry }
end

return redis.error_reply('ERR unknown rate-limit algorithm ' .. tostring(algorithm))
`
