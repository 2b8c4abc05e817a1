import { describe, expect, it } from 'vitest'
import { SecConfigError, SecError } from '../errors/index.js'
import type { ApiKeyRecord } from './api-key-store.js'
import { memoryApiKeyStore } from './memory-api-key-store.js'

function record(id: string, extra: Partial<ApiKeyRecord> = {}): ApiKeyRecord {
  return {
    id,
    owner: 'acct_1',
    kind: 'secret',
    environment: 'live',
    scopes: ['notes:read'],
    name: undefined,
    createdAt: 1000,
    expiresAt: undefined,
    revokedAt: undefined,
    lastUsedAt: undefined,
    replacedBy: undefined,
    hash: 'h'.repeat(64),
    ...extra,
  }
}

describe('memoryApiKeyStore', () => {
  it('creates, finds and lists by owner, oldest first', async () => {
    const store = memoryApiKeyStore()
    await store.create(record('a'))
    await store.create(record('b', { owner: 'acct_2' }))
    await store.create(record('c'))
    expect(await store.findById('a')).toEqual(record('a'))
    expect(await store.findById('zz')).toBeUndefined()
    expect((await store.listByOwner('acct_1')).map((r) => r.id)).toEqual(['a', 'c'])
    expect(await store.listByOwner('nobody')).toEqual([])
  })

  it('refuses a duplicate id', async () => {
    const store = memoryApiKeyStore()
    await store.create(record('a'))
    await expect(store.create(record('a'))).rejects.toMatchObject({ code: 'SEC_API_KEY_EXISTS' })
  })

  it('revokes once, keeping the first time', async () => {
    const store = memoryApiKeyStore()
    await store.create(record('a'))
    expect(await store.revoke('a', 5000)).toEqual(record('a', { revokedAt: 5000 }))
    expect(await store.revoke('a', 9000)).toEqual(record('a', { revokedAt: 5000 }))
    expect(await store.revoke('zz', 9000)).toBeUndefined()
  })

  it('rotates atomically: stores the replacement and shortens the old expiry to the grace end', async () => {
    const store = memoryApiKeyStore()
    await store.create(record('a', { expiresAt: 50_000 }))
    expect(await store.rotate('a', record('b'), 20_000)).toEqual(
      record('a', { expiresAt: 20_000, replacedBy: 'b' }),
    )
    expect(await store.findById('b')).toEqual(record('b'))
    await store.create(record('c', { expiresAt: 10_000 }))
    expect((await store.rotate('c', record('d'), 20_000))?.expiresAt).toBe(10_000)
  })

  it('does not rotate an unknown, revoked or already rotated key, and changes nothing then', async () => {
    const store = memoryApiKeyStore()
    await store.create(record('a'))
    await store.rotate('a', record('b'), 2000)
    expect(await store.rotate('a', record('c'), 2000)).toBeUndefined()
    expect(await store.findById('c')).toBeUndefined()
    await store.revoke('b', 3000)
    expect(await store.rotate('b', record('d'), 4000)).toBeUndefined()
    expect(await store.rotate('zz', record('e'), 4000)).toBeUndefined()
    expect(await store.findById('d')).toBeUndefined()
  })

  it('touches the last-used time forward only', async () => {
    const store = memoryApiKeyStore()
    await store.create(record('a'))
    await store.touch('a', 7000)
    await store.touch('a', 6000)
    await store.touch('zz', 6000)
    expect((await store.findById('a'))?.lastUsedAt).toBe(7000)
  })

  it('drops revoked and expired records when full, then refuses', async () => {
    let now = 0
    const store = memoryApiKeyStore({ maxKeys: 2, clock: { now: () => now } })
    await store.create(record('a', { expiresAt: 100 }))
    await store.create(record('b'))
    await expect(store.create(record('c'))).rejects.toMatchObject({ code: 'SEC_API_KEY_STORE_FULL' })
    now = 100
    await store.create(record('c'))
    expect(await store.findById('a')).toBeUndefined()
    await expect(store.create(record('d'))).rejects.toBeInstanceOf(SecError)
  })

  it('refuses bad options naming them', () => {
    expect(() => memoryApiKeyStore({ maxKeys: 0 })).toThrow(SecConfigError)
    expect(() => memoryApiKeyStore({ maxKeys: 0 })).toThrow(/^memoryApiKeyStore\.maxKeys: /)
    expect(() => memoryApiKeyStore({ clok: {} } as never)).toThrow(
      'memoryApiKeyStore.clok: is not a known option. Remove it or check its spelling against the documentation.',
    )
  })
})
