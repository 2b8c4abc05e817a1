import type { Clock, RevocationStore } from '@sec/core'
import { beforeEach, expect, it } from 'vitest'
import { type FakeClock, fakeClock } from './fake-clock.js'

const minute = 60_000

/**
 * What every {@link RevocationStore} must do, written once and run against the memory store and the
 * Redis store (single node and cluster), so both are held to the same answers. `newStore` builds an
 * empty store on the given clock; the tests move that clock to expire entries.
 */
export function revocationStoreContract(newStore: (clock: Clock) => RevocationStore): void {
  let clock: FakeClock
  let store: RevocationStore
  beforeEach(() => {
    clock = fakeClock()
    store = newStore(clock)
  })

  it('answers false for a token id never revoked', async () => {
    expect(await store.isRevoked('jti-never')).toBe(false)
  })

  it('revokes a token id until the end it was given, and not a moment longer', async () => {
    await store.revoke('jti-1', clock.now() + minute)
    expect(await store.isRevoked('jti-1')).toBe(true)
    expect(await store.isRevoked('jti-2')).toBe(false)
    clock.advance(minute - 1)
    expect(await store.isRevoked('jti-1')).toBe(true)
    clock.advance(1)
    expect(await store.isRevoked('jti-1')).toBe(false)
  })

  it('records nothing for an end that is now, past, or not a number', async () => {
    const now = clock.now()
    await store.revoke('jti-now', now)
    await store.revoke('jti-past', now - minute)
    await store.revoke('jti-nan', Number.NaN)
    expect(await store.isRevoked('jti-now')).toBe(false)
    expect(await store.isRevoked('jti-past')).toBe(false)
    expect(await store.isRevoked('jti-nan')).toBe(false)
  })

  it('keeps the later end when a token id is revoked again', async () => {
    const start = clock.now()
    await store.revoke('jti-1', start + 10 * minute)
    await store.revoke('jti-1', start + 60 * minute)
    await store.revoke('jti-1', start + 30 * minute)
    clock.advance(59 * minute)
    expect(await store.isRevoked('jti-1')).toBe(true)
    clock.advance(minute)
    expect(await store.isRevoked('jti-1')).toBe(false)
  })

  it('keeps token ids apart whatever characters they hold', async () => {
    const revoked = ['a', '{a}', 'a}', '%7B', 'é', 'x'.repeat(300), '550e8400-e29b-41d4-a716-446655440000']
    const kept = ['A', '{a', '%7b', 'e\u0301', 'x'.repeat(299), '', ' a']
    for (const jti of revoked) await store.revoke(jti, clock.now() + minute)
    for (const jti of revoked) expect(await store.isRevoked(jti), jti).toBe(true)
    for (const jti of kept) expect(await store.isRevoked(jti), jti).toBe(false)
  })

  it('lands every one of 20 concurrent revocations, and the latest end of one id revoked 20 times at once', async () => {
    const start = clock.now()
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.revoke(`jti-${i}`, start + minute)))
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => store.revoke('jti-same', start + (i + 1) * minute)),
    )
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => store.isRevoked(`jti-${i}`)))
    expect(answers).toEqual(answers.map(() => true))
    clock.advance(20 * minute - 1)
    expect(await store.isRevoked('jti-same')).toBe(true)
    expect(await store.isRevoked('jti-0')).toBe(false)
    clock.advance(1)
    expect(await store.isRevoked('jti-same')).toBe(false)
  })
}
