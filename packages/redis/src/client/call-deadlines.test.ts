import { describe, expect, it } from 'vitest'
import { RedisStoreError } from '../errors/redis-store-error.js'
import { callDeadlines } from './call-deadlines.js'

/** A call under `deadlines`: settles with the value, or with the error its deadline gave. */
function call(deadlines: ReturnType<typeof callDeadlines>) {
  let expired: RedisStoreError | undefined
  const deadline = deadlines.start((error) => {
    expired = error
  })
  return {
    finish: () => deadlines.finish(deadline),
    expired: () => expired,
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

describe('callDeadlines', () => {
  it('expires a call that does not finish in time, with SEC_REDIS_TIMEOUT, and not before', async () => {
    const deadlines = callDeadlines(40)
    const started = performance.now()
    const hanging = call(deadlines)
    await sleep(20)
    expect(hanging.expired()).toBeUndefined()
    while (hanging.expired() === undefined) await sleep(5)
    expect(performance.now() - started).toBeGreaterThanOrEqual(39)
    expect(hanging.expired()).toBeInstanceOf(RedisStoreError)
    expect(hanging.expired()?.code).toBe('SEC_REDIS_TIMEOUT')
    expect(hanging.expired()?.message).toBe('Redis did not answer within 40 ms.')
    expect(hanging.finish()).toBe(false)
  })

  it('never expires a call that finished, and expires each late call at its own time', async () => {
    const deadlines = callDeadlines(30)
    const first = call(deadlines)
    await sleep(15)
    const second = call(deadlines)
    expect(first.finish()).toBe(true)
    expect(first.finish()).toBe(false)
    await sleep(20)
    // The first call's deadline has passed, the second's not yet.
    expect([first.expired(), second.expired()]).toEqual([undefined, undefined])
    while (second.expired() === undefined) await sleep(5)
    expect(first.expired()).toBeUndefined()
    const third = call(deadlines)
    expect(third.finish()).toBe(true)
    await sleep(45)
    expect(third.expired()).toBeUndefined()
  })

  it('keeps expiring the calls behind a hanging one, however many finish out of order', async () => {
    const deadlines = callDeadlines(30)
    const hanging = call(deadlines)
    const calls = Array.from({ length: 5000 }, () => call(deadlines))
    const late = calls.filter((_, index) => index % 1000 === 999)
    for (const each of calls) if (!late.includes(each)) expect(each.finish()).toBe(true)
    while (late.some((each) => each.expired() === undefined)) await sleep(5)
    expect(hanging.expired()?.code).toBe('SEC_REDIS_TIMEOUT')
    expect(calls.filter((each) => each.expired() !== undefined)).toEqual(late)
  })
})
