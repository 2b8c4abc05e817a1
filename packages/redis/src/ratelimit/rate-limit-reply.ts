import type { LimitDecision, LimitPolicy } from '@sec/core'
import { RedisStoreError } from '../errors/redis-store-error.js'

/** The core's tolerance: 1e-9 of the limit (`@sec/core`'s `toleranceRatio`). */
const toleranceRatio = 1e-9

/** Turns a rate-limit script's reply to a decision of `cost` into the decision. */
export type ReplyDecoder = (reply: unknown, cost: number) => LimitDecision

function badReply(): RedisStoreError {
  return new RedisStoreError(
    'SEC_REDIS_REPLY',
    'Redis answered the rate-limit script with an unexpected reply.',
  )
}

/**
 * An integer reply as a number (a string when the client was made with `stringNumbers: true`), or
 * `undefined` when the reply is the text form, whose fields are separated by spaces.
 */
function packed(reply: unknown): number | undefined {
  if (typeof reply === 'number') return reply
  if (typeof reply === 'string' && !reply.includes(' ')) return Number(reply)
  return undefined
}

/** The numbers of a text reply, when it has `count` of them and they are not negative. */
function fields(reply: unknown, count: number): number[] {
  if (typeof reply !== 'string') throw badReply()
  const numbers = reply.split(' ').map(Number)
  if (numbers.length !== count || !numbers.every((value) => value >= 0)) throw badReply()
  return numbers
}

/**
 * The decoder of the replies of `policy`'s script (see `rate-limit-script.ts`). `radix` is the
 * script's: `floor(2 * period) + 3`, the same double operations on both sides.
 */
export function replyDecoder(policy: LimitPolicy): ReplyDecoder {
  const radix = Math.floor(2 * policy.period) + 3
  if (policy.algorithm === 'fixed-window') {
    const limit = policy.limit
    const eps = toleranceRatio * limit
    // From the count before the decision and the wait until the window's end, exactly what the
    // core's decideFixedWindow computes: the script decided with the same operations.
    return (reply, cost) => {
      let count: number
      let wait: number
      const integer = packed(reply)
      if (integer === undefined) [count = 0, wait = 0] = fields(reply, 2)
      else if (Number.isSafeInteger(integer) && integer >= 0) {
        wait = integer % radix
        count = (integer - wait) / radix
      } else throw badReply()
      const allowed = count + (cost === 0 ? 1 : cost) <= limit + eps
      if (allowed && cost > 0) count += cost
      return {
        allowed,
        remaining: Math.max(0, Math.floor(limit - count + eps)),
        reset: count > 0 ? wait : 0,
        retryAfter: allowed ? 0 : wait,
      }
    }
  }
  return (reply) => {
    const integer = packed(reply)
    if (integer === undefined) {
      const [allowed, remaining = 0, reset = 0, retryAfter = 0] = fields(reply, 4)
      return { allowed: allowed === 1, remaining, reset, retryAfter }
    }
    if (!(Number.isSafeInteger(integer) && integer >= 0)) throw badReply()
    const reset = integer % radix
    return { allowed: true, remaining: (integer - reset) / radix, reset, retryAfter: 0 }
  }
}
