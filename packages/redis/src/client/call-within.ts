import { SecError } from '@sec/core'
import { RedisStoreError } from '../errors/redis-store-error.js'
import { type CallDeadlines, callDeadlines } from './call-deadlines.js'
import type { RedisClient } from './redis-client.js'

/**
 * Client states in which ioredis would only queue a command until a connection comes back.
 * Failing at once there keeps the offline queue from growing during an outage and lets the
 * limiter apply its failure policy without waiting; `wait` and `connecting` still send, since a
 * first connection is normally about to succeed.
 */
const disconnected: ReadonlySet<string> = new Set(['reconnecting', 'close', 'end', 'disconnecting'])

/** The error to fail with at once when `client` cannot send now, or `undefined` when it can. */
export function unavailable(client: RedisClient): RedisStoreError | undefined {
  if (!disconnected.has(client.status)) return undefined
  return new RedisStoreError(
    'SEC_REDIS_UNAVAILABLE',
    `Redis is not connected (client status: ${client.status}).`,
  )
}

/** Turns whatever ioredis rejected with into a {@link RedisStoreError}. */
export function toStoreError(error: unknown): RedisStoreError {
  if (error instanceof RedisStoreError) return error
  const name = error instanceof Error ? error.name : ''
  const message = error instanceof Error ? error.message : String(error)
  if (name === 'ReplyError')
    return new RedisStoreError('SEC_REDIS_REPLY', `Redis answered with an error: ${message}`, {
      cause: error,
    })
  if (message === 'Command timed out')
    return new RedisStoreError('SEC_REDIS_TIMEOUT', `Redis did not answer in time: ${message}`, {
      cause: error,
    })
  return new RedisStoreError('SEC_REDIS_UNAVAILABLE', `Redis could not be reached: ${message}`, {
    cause: error,
  })
}

/**
 * Settles with `pending`, or rejects with a `SEC_REDIS_TIMEOUT` error after `timeoutMs`, whichever
 * comes first. ioredis cannot withdraw a sent or queued command, so a late answer is dropped.
 */
export function within<T>(pending: Promise<T>, timeoutMs: number): Promise<T> {
  return settleWithin(pending, timeoutMs, toStoreError)
}

/**
 * Runs `operation` (one or several commands) under one deadline: rejects at once while `client`
 * cannot send, and with `SEC_REDIS_TIMEOUT` when the whole operation takes longer than
 * `timeoutMs`. A `SecError` the operation throws itself (a malformed record, a taken id) passes
 * through; anything else becomes a {@link RedisStoreError}.
 */
export function attempt<T>(client: RedisClient, timeoutMs: number, operation: () => Promise<T>): Promise<T> {
  const down = unavailable(client)
  if (down !== undefined) return Promise.reject(down)
  return settleWithin(operation(), timeoutMs, (error) =>
    error instanceof SecError ? error : toStoreError(error),
  )
}

/** The deadlines of every call with the same `timeoutMs`, shared by the stores that use it. */
const deadlinesByTimeout = new Map<number, CallDeadlines>()

/** The shared deadlines of calls of `timeoutMs`. */
export function deadlinesOf(timeoutMs: number): CallDeadlines {
  let deadlines = deadlinesByTimeout.get(timeoutMs)
  if (deadlines === undefined) {
    deadlines = callDeadlines(timeoutMs)
    deadlinesByTimeout.set(timeoutMs, deadlines)
  }
  return deadlines
}

function settleWithin<T>(
  pending: Promise<T>,
  timeoutMs: number,
  toError: (error: unknown) => Error,
): Promise<T> {
  const deadlines = deadlinesOf(timeoutMs)
  return new Promise<T>((resolve, reject) => {
    const deadline = deadlines.start(reject)
    pending.then(
      (value) => {
        if (deadlines.finish(deadline)) resolve(value)
      },
      (error: unknown) => {
        if (deadlines.finish(deadline)) reject(toError(error))
      },
    )
  })
}
