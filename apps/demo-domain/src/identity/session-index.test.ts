import { memoryRefreshTokenStore, type StoredRefreshToken } from '@sec/core'
import { describe, expect, it } from 'vitest'
import { manualClock } from '../demo/notes-demo.fixture.js'
import { indexSessions } from './session-index.js'

function token(n: number, familyId: string, accessTokenExpiresAt: number): StoredRefreshToken {
  return {
    hash: `hash-${n}`,
    familyId,
    subject: 'alice',
    scope: '',
    accessTokenId: `jti-${n}`,
    accessTokenExpiresAt,
    expiresAt: accessTokenExpiresAt + 86_400_000,
    familyExpiresAt: accessTokenExpiresAt + 604_800_000,
  }
}

describe('indexSessions', () => {
  it('finds the family of an access token until it expires', async () => {
    const time = manualClock(0)
    const store = indexSessions(memoryRefreshTokenStore({ clock: time.clock }), { clock: time.clock })
    expect(await store.add(token(1, 'f1', 900_000))).toBe(true)
    expect(await store.add(token(2, 'f2', 900_000))).toBe(true)
    expect([store.familyOf('jti-1'), store.familyOf('jti-2'), store.familyOf('jti-3')]).toEqual([
      'f1',
      'f2',
      undefined,
    ])
    time.advance(900_000)
    expect(store.familyOf('jti-1')).toBeUndefined()
  })

  it('passes consume through, and forgets the access tokens of a revoked family', async () => {
    const time = manualClock(0)
    const store = indexSessions(memoryRefreshTokenStore({ clock: time.clock }), { clock: time.clock })
    await store.add(token(1, 'f1', 900_000))
    await store.add(token(2, 'f1', 900_000))
    expect((await store.consume('hash-1'))?.state).toBe('active')
    expect((await store.revokeFamily('f1')).map((t) => t.accessTokenId)).toEqual(['jti-1', 'jti-2'])
    expect(store.familyOf('jti-2')).toBeUndefined()
    expect(await store.add(token(3, 'f1', 900_000))).toBe(false)
    expect(store.familyOf('jti-3')).toBeUndefined()
  })

  it('forgets the oldest access token when full', async () => {
    const time = manualClock(0)
    const store = indexSessions(memoryRefreshTokenStore({ clock: time.clock }), {
      clock: time.clock,
      maxEntries: 2,
    })
    await store.add(token(1, 'f1', 1000))
    await store.add(token(2, 'f2', 5000))
    await store.add(token(3, 'f3', 5000))
    expect([store.familyOf('jti-1'), store.familyOf('jti-2'), store.familyOf('jti-3')]).toEqual([
      undefined,
      'f2',
      'f3',
    ])
    await store.add(token(4, 'f4', 5000))
    expect([store.familyOf('jti-2'), store.familyOf('jti-4')]).toEqual([undefined, 'f4'])
  })
})
