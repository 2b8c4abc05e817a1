import { RedisStoreError } from '../errors/redis-store-error.js'

/** One call's place in a {@link CallDeadlines} queue. */
export interface Deadline {
  readonly expires: number
  /** Called with the timeout error when the deadline passes; `undefined` once the call is over. */
  expire: ((error: RedisStoreError) => void) | undefined
}

/** Deadlines of one length for many calls, kept by one timer rather than one per call. */
export interface CallDeadlines {
  /** Starts a call's deadline: `expire` gets a `SEC_REDIS_TIMEOUT` error unless `finish` comes first. */
  start(expire: (error: RedisStoreError) => void): Deadline
  /** Ends a call's deadline. `false` when it had already passed (the call was failed then). */
  finish(deadline: Deadline): boolean
}

/** Finished calls left in the queue behind a slower one, past which the queue is compacted. */
const compactAfter = 1024

/**
 * Deadlines of `timeoutMs` each. Every call of a store waits as long, so deadlines expire in the
 * order they were started: they are queued, one timer (unref'd, so it never keeps a process
 * alive) waits for the oldest, and a finished call is only marked, to be dropped when the calls
 * before it are over. That spares each call a timer of its own, set and cleared.
 */
export function callDeadlines(timeoutMs: number): CallDeadlines {
  let queue: Deadline[] = []
  let head = 0
  let pending = 0
  let timer: ReturnType<typeof setTimeout> | undefined

  function arm(delay: number): void {
    timer = setTimeout(fire, Math.max(1, delay))
    timer.unref()
  }

  function dropFinished(): void {
    while (head < queue.length && (queue[head] as Deadline).expire === undefined) head++
    if (head === queue.length) {
      queue.length = 0
      head = 0
    } else if (queue.length - head - pending > compactAfter) {
      queue = queue.slice(head).filter((deadline) => deadline.expire !== undefined)
      head = 0
    }
  }

  function fire(): void {
    timer = undefined
    const now = performance.now()
    while (head < queue.length) {
      const deadline = queue[head] as Deadline
      const expire = deadline.expire
      if (expire !== undefined) {
        if (deadline.expires > now) break
        deadline.expire = undefined
        pending--
        expire(new RedisStoreError('SEC_REDIS_TIMEOUT', `Redis did not answer within ${timeoutMs} ms.`))
      }
      head++
    }
    dropFinished()
    if (head < queue.length) arm((queue[head] as Deadline).expires - now)
  }

  return {
    start(expire) {
      const deadline: Deadline = { expires: performance.now() + timeoutMs, expire }
      queue.push(deadline)
      pending++
      if (timer === undefined) arm(timeoutMs)
      return deadline
    },
    finish(deadline) {
      if (deadline.expire === undefined) return false
      deadline.expire = undefined
      pending--
      dropFinished()
      return true
    },
  }
}
