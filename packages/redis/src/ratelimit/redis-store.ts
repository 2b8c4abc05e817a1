import { type LimitDecision, type LimitPolicy, type RateLimitStore, SecError } from '@sec/core'
import { unavailable, within } from '../client/call-within.js'
import { assertRedisClient, defineScript, type RedisClient } from '../client/redis-client.js'
import { RedisStoreError } from '../errors/redis-store-error.js'
import { rateLimitScript } from './rate-limit-script.js'
import { type RedisStoreOptions, resolveRedisStoreOptions } from './redis-store-options.js'

/** A {@link RateLimitStore} kept in Redis, shared by every process that uses the same Redis. */
export interface RedisStore extends RateLimitStore {
  readonly kind: 'redis'
  /**
   * One EVALSHA of an atomic script that reads Redis's clock (`TIME`). Rejects with a
   * {@link RedisStoreError} when Redis is unreachable, errs, or takes longer than `timeoutMs`.
   */
  decide(policy: LimitPolicy, key: string, cost: number): Promise<LimitDecision>
  /** Deletes the key's state (one DEL), under the same timeout. */
  reset(policy: LimitPolicy, key: string): Promise<void>
}

/** The script's arguments for one policy, validated and turned into strings once. */
interface PreparedPolicy {
  readonly algorithm: string
  readonly limit: string
  readonly period: string
  readonly maxCost: number
  readonly wholeCosts: boolean
}

const algorithms: ReadonlySet<string> = new Set([
  'token-bucket',
  'sliding-window',
  'fixed-window',
  'sliding-log',
])

/** Beyond this, TTLs and arrival times (`now + period`) stop being exact doubles and integers. */
const maxPeriodMs = 1e15

/** The sliding log stores one entry per admitted cost: bounded so one decision stays cheap. */
const maxLogLimit = 1000

function argumentError(message: string): SecError {
  return new SecError('SEC_REDIS_ARGUMENT', `redisStore: ${message}`)
}

function preparePolicy(policy: LimitPolicy): PreparedPolicy {
  const { algorithm, limit, period } = policy
  if (!algorithms.has(algorithm)) throw argumentError(`unknown algorithm ${JSON.stringify(algorithm)}.`)
  if (!(Number.isFinite(limit) && limit > 0))
    throw argumentError(`policy.limit must be above 0; got ${limit}.`)
  if (!(Number.isFinite(period) && period > 0 && period <= maxPeriodMs))
    throw argumentError(`policy.period must be above 0 and at most ${maxPeriodMs} ms; got ${period}.`)
  const wholeCosts = algorithm === 'sliding-log'
  if (wholeCosts && !(Number.isInteger(limit) && limit <= maxLogLimit))
    throw argumentError(`a sliding log's limit must be a whole number up to ${maxLogLimit}; got ${limit}.`)
  return { algorithm, limit: String(limit), period: String(period), maxCost: limit, wholeCosts }
}

/** An integer reply: a number, or a string when the client was made with `stringNumbers: true`. */
function integer(value: unknown): number {
  return typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN
}

function toDecision(reply: unknown): LimitDecision {
  if (Array.isArray(reply) && reply.length === 4) {
    const allowed = integer(reply[0])
    const remaining = integer(reply[1])
    const reset = integer(reply[2])
    const retryAfter = integer(reply[3])
    if (Number.isInteger(allowed) && remaining >= 0 && reset >= 0 && retryAfter >= 0)
      return { allowed: allowed === 1, remaining, reset, retryAfter }
  }
  throw new RedisStoreError(
    'SEC_REDIS_REPLY',
    'Redis answered the rate-limit script with an unexpected reply.',
  )
}

/**
 * A rate-limit store on Redis through ioredis, for limits shared by every instance of an app.
 *
 * Each decision is one EVALSHA (ioredis falls back to EVAL when Redis answers NOSCRIPT, after a
 * restart or `SCRIPT FLUSH`) of a Lua script that reads the time with `TIME` and decides and
 * records atomically, so concurrent decisions from any number of processes admit exactly what the
 * algorithm allows. A decision touches one key, `${prefix}{${key}}`, whose braces make it a Redis
 * Cluster hash tag; every key it writes carries a TTL.
 *
 * Calls never wait longer than `timeoutMs`, and fail at once while the client is reconnecting:
 * they reject with a {@link RedisStoreError}, which the limiter turns into its failure policy.
 *
 * `defineCommand` adds one method to `client`, named after the script's hash (`sec_…`).
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis'
 * import { tokenBucket } from '@sec/core/ratelimit'
 * import { redisStore } from '@sec/redis'
 *
 * const store = redisStore(new Redis(process.env.REDIS_URL), { timeoutMs: 50 })
 * const limiter = tokenBucket({ capacity: 100, refillRate: 10, interval: '1s', store })
 * ```
 */
export function redisStore(client: RedisClient, options?: RedisStoreOptions): RedisStore {
  assertRedisClient('redisStore.client', client)
  const { prefix, timeoutMs } = resolveRedisStoreOptions(options)
  const command = defineScript(client, rateLimitScript)
  const prepared = new WeakMap<LimitPolicy, PreparedPolicy>()

  return {
    kind: 'redis',
    async decide(policy, key, cost) {
      let args = prepared.get(policy)
      if (args === undefined) {
        args = preparePolicy(policy)
        prepared.set(policy, args)
      }
      if (!(cost >= 0 && cost <= args.maxCost) || (args.wholeCosts && !Number.isInteger(cost)))
        throw argumentError(
          `cost must be ${args.wholeCosts ? 'a whole number' : 'a number'} from 0 to the limit ${args.maxCost}; got ${cost}.`,
        )
      const down = unavailable(client)
      if (down !== undefined) throw down
      const pending = command(`${prefix}{${key}}`, args.algorithm, args.limit, args.period, String(cost))
      return toDecision(await within(pending, timeoutMs))
    },
    async reset(_policy, key) {
      const down = unavailable(client)
      if (down !== undefined) throw down
      await within(client.del(`${prefix}{${key}}`), timeoutMs)
    },
  }
}
