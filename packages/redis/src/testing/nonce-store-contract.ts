import type { NonceStore } from '@sec/core'
import { beforeEach, expect, it } from 'vitest'

const minute = 60_000
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * What every {@link NonceStore} must do, written once and run against the memory store and the
 * Redis store (single node and cluster), so both are held to the same answers. `newStore` builds an
 * empty store on the real clock: Redis expires keys on its own clock, so expiry is tested with short
 * real TTLs and generous waits.
 */
export function nonceStoreContract(newStore: () => NonceStore): void {
  let store: NonceStore
  beforeEach(() => {
    store = newStore()
  })

  it('accepts a nonce the first time and refuses it while it lives, whatever TTL the retry asks for', async () => {
    expect(await store.record('nonce-1', minute)).toBe(true)
    expect(await store.record('nonce-1', minute)).toBe(false)
    expect(await store.record('nonce-1', 1)).toBe(false)
    expect(await store.record('nonce-1', 10 * minute)).toBe(false)
    expect(await store.record('nonce-2', minute)).toBe(true)
  })

  it('forgets a nonce once its TTL has passed, not before, and accepts it again', async () => {
    const ttl = 200
    const started = performance.now()
    expect(await store.record('short', ttl)).toBe(true)
    expect(await store.record('long', 10 * minute)).toBe(true)
    let accepted = false
    const deadline = started + 10_000
    while (!accepted && performance.now() < deadline) {
      await sleep(20)
      accepted = await store.record('short', minute)
    }
    expect(accepted).toBe(true)
    // Expiry is judged on a millisecond clock (Date.now, or Redis's), hence the 5 ms of slack.
    expect(performance.now() - started).toBeGreaterThanOrEqual(ttl - 5)
    expect(await store.record('short', minute)).toBe(false)
    expect(await store.record('long', minute)).toBe(false)
  })

  it('keeps a nonce for its own TTL, not an earlier record of another one', async () => {
    expect(await store.record('brief', 100)).toBe(true)
    expect(await store.record('lasting', 5000)).toBe(true)
    await sleep(400)
    expect(await store.record('brief', minute)).toBe(true)
    expect(await store.record('lasting', minute)).toBe(false)
  })

  it('accepts exactly one of 50 concurrent records of the same nonce', async () => {
    const answers = await Promise.all(Array.from({ length: 50 }, () => store.record('race', minute)))
    expect(answers.filter((answer) => answer)).toHaveLength(1)
    expect(await store.record('race', minute)).toBe(false)
  })

  it('keeps different nonces independent, concurrent ones included', async () => {
    const nonces = Array.from({ length: 50 }, (_, i) => `independent-${i}`)
    expect(await Promise.all(nonces.map((nonce) => store.record(nonce, minute)))).toEqual(
      nonces.map(() => true),
    )
    expect(await Promise.all(nonces.map((nonce) => store.record(nonce, minute)))).toEqual(
      nonces.map(() => false),
    )
  })

  it('keeps nonces apart whatever characters they hold', async () => {
    const nonces = [
      'a',
      'A',
      '{a}',
      '{a',
      'a}',
      '%7B',
      '%7b',
      'é',
      'e\u0301',
      '😀',
      ' a',
      'sigv4:AKID:n0nce-0001',
      'sigv4:AKID2:n0nce-0001',
      'x'.repeat(1024),
      'x'.repeat(1023),
    ]
    for (const nonce of nonces) expect(await store.record(nonce, minute), nonce).toBe(true)
    for (const nonce of nonces) expect(await store.record(nonce, minute), nonce).toBe(false)
  })
}
