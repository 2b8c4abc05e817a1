import { type LimitDecision, type LimitPolicy, type RateLimitStore, SecError } from '@sec/core'
import { deadlinesOf, toStoreError, unavailable, within } from '../client/call-within.js'
import { isNoScript, type LuaScript, luaScript } from '../client/lua-script.js'
import { assertRedisClient, type RedisClient } from '../client/redis-client.js'
import { RedisStoreError } from '../errors/redis-store-error.js'
import { type ReplyDecoder, replyDecoder } from './rate-limit-reply.js'
import { fixedWindowResetScript, rateLimitScripts } from './rate-limit-script.js'
import { type RedisStoreOptions, resolveRedisStoreOptions } from './redis-store-options.js'

/** A {@link RateLimitStore} kept in Redis, shared by every process that uses the same Redis. */
export interface RedisStore extends RateLimitStore {
  readonly kind: 'redis'
  /**
   * One EVALSHA of an atomic script that reads Redis's clock (`TIME`). Rejects with a
   * {@link RedisStoreError} when Redis is unreachable, errs, or takes longer than `timeoutMs`.
   */
  decide(policy: LimitPolicy, key: string, cost: number): Promise<LimitDecision>
  /**
   * Deletes the key's state, under the same timeout: one DEL, or for a fixed window one EVALSHA
   * that deletes the counter of the current window on Redis's clock.
   */
  reset(policy: LimitPolicy, key: string): Promise<void>
}

/** The script's arguments for one policy, validated and turned into strings once. */
interface PreparedPolicy {
  readonly script: LuaScript
  readonly limit: string
  readonly period: string
  readonly maxCost: number
  readonly wholeCosts: boolean
  readonly decode: ReplyDecoder
}

/** The script of each algorithm, with its SHA-1 computed once. */
const scripts = new Map<string, LuaScript>(
  Object.entries(rateLimitScripts).map(([algorithm, lua]) => [algorithm, luaScript(lua)]),
)

/** The script that resets a fixed window, with its SHA-1. */
const fixedWindowReset = luaScript(fixedWindowResetScript)

/** The two ways of running a script the store uses, on a `Redis` or a `Cluster` alike. */
interface ScriptRunner {
  evalsha(sha: string, numberOfKeys: number, ...keysAndArgs: string[]): Promise<unknown>
  eval(lua: string, numberOfKeys: number, ...keysAndArgs: string[]): Promise<unknown>
}

/** Beyond this, TTLs and arrival times (`now + period`) stop being exact doubles and integers. */
const maxPeriodMs = 1e15

/** The sliding log stores one entry per admitted cost: bounded so one decision stays cheap. */
const maxLogLimit = 1000

/**
 * A fixed window counts whole costs with INCRBY, in 64-bit integers: below this limit every count
 * it can reach is also an exact double, so it counts exactly what the core's doubles count.
 */
const maxWindowLimit = 2 ** 52

function argumentError(message: string): SecError {
  return new SecError('SEC_REDIS_ARGUMENT', `redisStore: ${message}`)
}

function preparePolicy(policy: LimitPolicy): PreparedPolicy {
  const { algorithm, limit, period } = policy
  const script = scripts.get(algorithm)
  if (script === undefined) throw argumentError(`unknown algorithm ${JSON.stringify(algorithm)}.`)
  if (!(Number.isFinite(limit) && limit > 0))
    throw argumentError(`policy.limit must be above 0; got ${limit}.`)
  if (!(Number.isFinite(period) && period > 0 && period <= maxPeriodMs))
    throw argumentError(`policy.period must be above 0 and at most ${maxPeriodMs} ms; got ${period}.`)
  const wholeCosts = algorithm === 'sliding-log'
  if (wholeCosts && !(Number.isInteger(limit) && limit <= maxLogLimit))
    throw argumentError(`a sliding log's limit must be a whole number up to ${maxLogLimit}; got ${limit}.`)
  if (algorithm === 'fixed-window' && limit > maxWindowLimit)
    throw argumentError(`a fixed window's limit must be at most 2^52; got ${limit}.`)
  return {
    script,
    limit: String(limit),
    period: String(period),
    maxCost: limit,
    wholeCosts,
    decode: replyDecoder(policy),
  }
}

/**
 * A rate-limit store on Redis through ioredis, for limits shared by every instance of an app.
 *
 * Each decision is one EVALSHA (falling back to EVAL when Redis answers NOSCRIPT, after a restart
 * or `SCRIPT FLUSH`) of the Lua script of the policy's algorithm, which reads the time with `TIME`
 * and decides and records atomically, so concurrent decisions from any number of processes admit
 * exactly what the algorithm allows. A decision touches one key, `${prefix}{${key}}`, whose braces
 * make it a Redis Cluster hash tag; every key it writes carries a TTL.
 *
 * Calls never wait longer than `timeoutMs`, and fail at once while the client is reconnecting:
 * they reject with a {@link RedisStoreError}, which the limiter turns into its failure policy.
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
  const runner = client as unknown as ScriptRunner
  const deadlines = deadlinesOf(timeoutMs)
  const prepared = new WeakMap<LimitPolicy, PreparedPolicy>()
  // Limiters pass the same policy object on every call: the last one is kept at hand.
  let lastPolicy: LimitPolicy | undefined
  let lastArgs: PreparedPolicy | undefined

  function prepare(policy: LimitPolicy): PreparedPolicy {
    let args = prepared.get(policy)
    if (args === undefined) {
      args = preparePolicy(policy)
      prepared.set(policy, args)
    }
    lastPolicy = policy
    lastArgs = args
    return args
  }

  function decide(policy: LimitPolicy, key: string, cost: number): Promise<LimitDecision> {
    const args = policy === lastPolicy ? (lastArgs as PreparedPolicy) : prepare(policy)
    if (!(cost >= 0 && cost <= args.maxCost) || (args.wholeCosts && !Number.isInteger(cost)))
      throw argumentError(
        `cost must be ${args.wholeCosts ? 'a whole number' : 'a number'} from 0 to the limit ${args.maxCost}; got ${cost}.`,
      )
    const down = unavailable(client)
    if (down !== undefined) throw down
    const name = `${prefix}{${key}}`
    const units = String(cost)
    const { script, limit, period, decode } = args
    // One deadline for the EVALSHA and, after a NOSCRIPT, the EVAL that loads the script.
    return new Promise<LimitDecision>((resolve, reject) => {
      const deadline = deadlines.start(reject)
      const answer = (reply: unknown): void => {
        if (!deadlines.finish(deadline)) return
        try {
          resolve(decode(reply, cost))
        } catch (error) {
          reject(error)
        }
      }
      const fail = (error: unknown): void => {
        if (deadlines.finish(deadline)) reject(toStoreError(error))
      }
      runner.evalsha(script.sha, 1, name, limit, period, units).then(answer, (error: unknown) => {
        if (isNoScript(error) && deadline.expire !== undefined)
          runner.eval(script.lua, 1, name, limit, period, units).then(answer, fail)
        else fail(error)
      })
    })
  }

  return {
    kind: 'redis',
    decide(policy, key, cost) {
      try {
        return decide(policy, key, cost)
      } catch (error) {
        return Promise.reject(error)
      }
    },
    async reset(policy, key) {
      const down = unavailable(client)
      if (down !== undefined) throw down
      const name = `${prefix}{${key}}`
      if (policy.algorithm !== 'fixed-window') {
        await within(client.del(name), timeoutMs)
        return
      }
      const period = (policy === lastPolicy ? (lastArgs as PreparedPolicy) : prepare(policy)).period
      const { sha, lua } = fixedWindowReset
      const deleted = runner
        .evalsha(sha, 1, name, period)
        .catch((error: unknown) =>
          isNoScript(error) ? runner.eval(lua, 1, name, period) : Promise.reject(error),
        )
      await within(deleted, timeoutMs)
    },
  }
}
