import type { Clock, RefreshTokenStore, StoredRefreshToken } from '@sec/core'
import { beforeEach, expect, it } from 'vitest'
import { type FakeClock, fakeClock, fakeClockStart } from './fake-clock.js'

const minute = 60_000
const day = 24 * 60 * minute

/** A stored token as `createTokenIssuer` makes one, issued at the fake clock's start. */
export function storedToken(hash: string, extra: Partial<StoredRefreshToken> = {}): StoredRefreshToken {
  return {
    hash: hash.padEnd(43, '_'),
    familyId: 'family-1',
    subject: 'alice',
    scope: 'notes:read',
    accessTokenId: `jti-${hash}`,
    accessTokenExpiresAt: fakeClockStart + 15 * minute,
    expiresAt: fakeClockStart + 14 * day,
    familyExpiresAt: fakeClockStart + 30 * day,
    ...extra,
  }
}

const hashOf = (name: string): string => storedToken(name).hash
const byHash = (a: StoredRefreshToken, b: StoredRefreshToken): number => (a.hash < b.hash ? -1 : 1)

/**
 * What every {@link RefreshTokenStore} must do, written once and run against the memory store and
 * the Redis store (single node and cluster), so both are held to the same answers. `newStore`
 * builds an empty store on the given clock; the tests move that clock to expire tokens.
 */
export function refreshTokenStoreContract(newStore: (clock: Clock) => RefreshTokenStore): void {
  let clock: FakeClock
  let store: RefreshTokenStore
  beforeEach(() => {
    clock = fakeClock()
    store = newStore(clock)
  })

  it('answers undefined for a hash it never saw', async () => {
    expect(await store.consume(hashOf('never'))).toBeUndefined()
  })

  it('spends a token once: active, then spent with the time of its first use', async () => {
    const token = storedToken('t1')
    expect(await store.add(token)).toBe(true)
    const spentAt = clock.now()
    expect(await store.consume(token.hash)).toEqual({ state: 'active', token })
    clock.advance(1000)
    expect(await store.consume(token.hash)).toEqual({ state: 'spent', token, spentAt })
    clock.advance(1000)
    expect(await store.consume(token.hash)).toEqual({ state: 'spent', token, spentAt })
  })

  it('gives exactly one of 20 concurrent consumes of a token the active state; the others see it spent', async () => {
    const token = storedToken('race')
    await store.add(token)
    const results = await Promise.all(Array.from({ length: 20 }, () => store.consume(token.hash)))
    expect(results.filter((result) => result?.state === 'active')).toEqual([{ state: 'active', token }])
    expect(results.filter((result) => result?.state === 'spent')).toEqual(
      Array.from({ length: 19 }, () => ({ state: 'spent', token, spentAt: clock.now() })),
    )
  })

  it('keeps every member, the optional ones too, and adds none', async () => {
    const full = storedToken('full', {
      clientId: 'web',
      claims: { roles: ['admin'], level: 3, nested: { a: null } },
    })
    const bare = storedToken('bare', { scope: '' })
    await store.add(full)
    await store.add(bare)
    expect(await store.consume(full.hash)).toStrictEqual({ state: 'active', token: full })
    expect(await store.consume(bare.hash)).toStrictEqual({ state: 'active', token: bare })
  })

  it('answers expired from its expiry on, without spending the token', async () => {
    const token = storedToken('t1', { expiresAt: fakeClockStart + 10 * minute })
    const other = storedToken('t2', { expiresAt: fakeClockStart + 10 * minute })
    await store.add(token)
    await store.add(other)
    clock.advance(10 * minute - 1)
    expect(await store.consume(other.hash)).toEqual({ state: 'active', token: other })
    clock.advance(1)
    expect(await store.consume(token.hash)).toEqual({ state: 'expired', token })
    expect(await store.consume(token.hash)).toEqual({ state: 'expired', token })
    expect((await store.consume(other.hash))?.state).toBe('spent')
  })

  it('revokes a family: lists its tokens, and none of them, present or added later, is active again', async () => {
    const spent = storedToken('t1')
    const live = storedToken('t2')
    const elsewhere = storedToken('t3', { familyId: 'family-2' })
    for (const token of [spent, live, elsewhere]) expect(await store.add(token)).toBe(true)
    await store.consume(spent.hash)

    const revoked = await store.revokeFamily('family-1')
    expect([...revoked].sort(byHash)).toEqual([spent, live].sort(byHash))
    expect(await store.consume(spent.hash)).toEqual({ state: 'revoked', token: spent })
    expect(await store.consume(live.hash)).toEqual({ state: 'revoked', token: live })
    expect(await store.consume(live.hash)).toEqual({ state: 'revoked', token: live })

    const later = storedToken('t4')
    expect(await store.add(later)).toBe(false)
    expect(await store.consume(later.hash)).toBeUndefined()
    expect(await store.consume(elsewhere.hash)).toEqual({ state: 'active', token: elsewhere })
    expect([...(await store.revokeFamily('family-1'))].sort(byHash)).toEqual([spent, live].sort(byHash))
  })

  it('answers revoked before spent and expired', async () => {
    const token = storedToken('t1', { expiresAt: fakeClockStart + minute })
    await store.add(token)
    await store.consume(token.hash)
    clock.advance(2 * minute)
    await store.revokeFamily('family-1')
    expect(await store.consume(token.hash)).toEqual({ state: 'revoked', token })
  })

  it('leaves an unknown family alone: nothing listed, and its tokens can still be added', async () => {
    expect(await store.revokeFamily('family-unknown')).toEqual([])
    const token = storedToken('t1', { familyId: 'family-unknown' })
    expect(await store.add(token)).toBe(true)
    expect(await store.consume(token.hash)).toEqual({ state: 'active', token })
  })

  it('keeps families apart whatever characters their ids hold', async () => {
    const families = ['f', '{f}', 'f}', '}{', '%7B', '%7Bf%7D', 'é', 'e\u0301']
    for (const [i, familyId] of families.entries()) await store.add(storedToken(`t${i}`, { familyId }))
    expect(await store.revokeFamily('{f}')).toEqual([storedToken('t1', { familyId: '{f}' })])
    for (const [i, familyId] of families.entries())
      expect((await store.consume(hashOf(`t${i}`)))?.state, familyId).toBe(
        familyId === '{f}' ? 'revoked' : 'active',
      )
  })
}
