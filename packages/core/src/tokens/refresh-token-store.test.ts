import { describe, expect, it } from 'vitest'
import { SecConfigError } from '../errors/index.js'
import {
  memoryRefreshTokenStore,
  RefreshTokenStoreFullError,
  type StoredRefreshToken,
} from './refresh-token-store.js'

let now = 1_000_000
const clock = { now: () => now }

function token(hash: string, familyId: string, extra: Partial<StoredRefreshToken> = {}): StoredRefreshToken {
  return {
    hash,
    familyId,
    subject: 'user-1',
    scope: 'notes:read',
    accessTokenId: `at-${hash}`,
    accessTokenExpiresAt: now + 900_000,
    expiresAt: now + 60_000,
    familyExpiresAt: now + 120_000,
    ...extra,
  }
}

describe('memoryRefreshTokenStore', () => {
  it('consumes a token once: active, then spent', () => {
    now = 1_000_000
    const store = memoryRefreshTokenStore({ clock })
    const t = token('h1', 'f1')
    expect(store.add(t)).toBe(true)
    expect(store.consume('h1')).toEqual({ state: 'active', token: t })
    now += 5
    expect(store.consume('h1')).toEqual({ state: 'spent', token: t, spentAt: 1_000_000 })
    expect(store.consume('nope')).toBeUndefined()
  })

  it('answers expired for an unused token past its expiry', () => {
    now = 1_000_000
    const store = memoryRefreshTokenStore({ clock })
    const t = token('h1', 'f1')
    store.add(t)
    now += 60_000
    expect(store.consume('h1')).toEqual({ state: 'expired', token: t })
  })

  it('revokes a family: its tokens answer revoked, later adds fail, and all its tokens are returned', () => {
    now = 1_000_000
    const store = memoryRefreshTokenStore({ clock })
    const a = token('a', 'f1')
    const b = token('b', 'f1')
    const other = token('c', 'f2')
    store.add(a)
    store.add(b)
    store.add(other)
    store.consume('a')
    expect(store.revokeFamily('f1')).toEqual([a, b])
    expect(store.consume('a')).toEqual({ state: 'revoked', token: a })
    expect(store.consume('b')).toEqual({ state: 'revoked', token: b })
    expect(store.add(token('d', 'f1'))).toBe(false)
    expect(store.consume('d')).toBeUndefined()
    expect(store.consume('c')).toEqual({ state: 'active', token: other })
    expect(store.revokeFamily('unknown')).toEqual([])
  })

  it('sweeps expired tokens when full, and refuses to forget live ones', () => {
    now = 1_000_000
    const store = memoryRefreshTokenStore({ clock, maxEntries: 2 })
    store.add(token('a', 'f1', { expiresAt: now + 10 }))
    store.add(token('b', 'f2'))
    expect(() => store.add(token('c', 'f3'))).toThrow(RefreshTokenStoreFullError)
    now += 10
    expect(store.add(token('c', 'f3'))).toBe(true)
    expect(store.consume('a')).toBeUndefined()
    expect(store.consume('c')?.state).toBe('active')
    const error = (() => {
      try {
        store.add(token('d', 'f4'))
      } catch (e) {
        return e
      }
    })()
    expect(error).toMatchObject({ code: 'SEC_REFRESH_STORE_FULL' })
  })

  it('refuses bad options', () => {
    expect(() => memoryRefreshTokenStore({ maxEntries: 0 })).toThrow(SecConfigError)
    expect(() => memoryRefreshTokenStore({ maxEntries: 0 })).toThrow(/memoryRefreshTokenStore\.maxEntries/)
    expect(() => memoryRefreshTokenStore({ clock: {} as never })).toThrow(/memoryRefreshTokenStore\.clock/)
    expect(() => memoryRefreshTokenStore({ max: 1 } as never)).toThrow(
      /memoryRefreshTokenStore\.max: is not a known option/,
    )
  })
})
