import type { ApiKeyRecord, ApiKeyStore } from '@sec/core'
import { beforeEach, expect, it } from 'vitest'
import { fakeClockStart } from './fake-clock.js'

const t0 = fakeClockStart
const day = 86_400_000

/** A record as `createApiKeys` makes one: 12 base62 characters of id, the digest only. */
export function apiKeyRecord(id: string, extra: Partial<ApiKeyRecord> = {}): ApiKeyRecord {
  return {
    id: id.padEnd(12, 'Z'),
    owner: 'acct_1',
    kind: 'secret',
    environment: 'live',
    scopes: ['notes:read'],
    name: undefined,
    createdAt: t0,
    expiresAt: undefined,
    revokedAt: undefined,
    lastUsedAt: undefined,
    replacedBy: undefined,
    hash: 'ab'.repeat(32),
    ...extra,
  }
}

const id = (name: string): string => name.padEnd(12, 'Z')

/**
 * What every {@link ApiKeyStore} must do, written once and run against the memory store and the
 * Redis store (single node and cluster), so both are held to the same answers. `newStore` builds an
 * empty store.
 */
export function apiKeyStoreContract(newStore: () => ApiKeyStore): void {
  let store: ApiKeyStore
  beforeEach(() => {
    store = newStore()
  })

  it('finds a stored record by its id, every member as stored; an unknown id is undefined', async () => {
    const full = apiKeyRecord('full', {
      kind: 'publishable',
      environment: 'test',
      scopes: ['notes:read', 'notes:write'],
      name: 'ci-deploy',
      expiresAt: t0 + 90 * day,
      lastUsedAt: t0 + 1,
      hash: 'cd'.repeat(32),
    })
    const bare = apiKeyRecord('bare', { scopes: [], name: '' })
    await store.create(full)
    await store.create(bare)
    expect(await store.findById(id('full'))).toEqual(full)
    expect(await store.findById(id('bare'))).toEqual(bare)
    expect(await store.findById(id('unknown'))).toBeUndefined()
  })

  it('refuses a second record with a taken id, keeping the first', async () => {
    await store.create(apiKeyRecord('a'))
    await expect(
      store.create(apiKeyRecord('a', { owner: 'acct_2', hash: 'ef'.repeat(32) })),
    ).rejects.toMatchObject({
      code: 'SEC_API_KEY_EXISTS',
      message: `An API key with id ${id('a')} exists.`,
    })
    expect(await store.findById(id('a'))).toEqual(apiKeyRecord('a'))
    expect(await store.listByOwner('acct_2')).toEqual([])
  })

  // Records are created in `createdAt` order, as `createApiKeys` does: the memory store lists in
  // insertion order, the Redis store by `createdAt` (then id), which agree on that.
  it("lists an owner's records oldest first, revoked and expired ones included, and no one else's", async () => {
    await store.create(apiKeyRecord('a', { createdAt: t0 }))
    await store.create(apiKeyRecord('b', { createdAt: t0 + 1, owner: 'acct_2' }))
    await store.create(apiKeyRecord('c', { createdAt: t0 + 2, expiresAt: t0 + 3 }))
    await store.create(apiKeyRecord('d', { createdAt: t0 + 4 }))
    await store.revoke(id('a'), t0 + 5)
    expect(await store.listByOwner('acct_1')).toEqual([
      apiKeyRecord('a', { createdAt: t0, revokedAt: t0 + 5 }),
      apiKeyRecord('c', { createdAt: t0 + 2, expiresAt: t0 + 3 }),
      apiKeyRecord('d', { createdAt: t0 + 4 }),
    ])
    expect((await store.listByOwner('acct_2')).map((record) => record.id)).toEqual([id('b')])
    expect(await store.listByOwner('nobody')).toEqual([])
  })

  it('revokes once, keeping the first time, and answers undefined for an unknown id', async () => {
    await store.create(apiKeyRecord('a'))
    expect(await store.revoke(id('a'), t0 + 5000)).toEqual(apiKeyRecord('a', { revokedAt: t0 + 5000 }))
    expect(await store.revoke(id('a'), t0 + 9000)).toEqual(apiKeyRecord('a', { revokedAt: t0 + 5000 }))
    expect(await store.findById(id('a'))).toEqual(apiKeyRecord('a', { revokedAt: t0 + 5000 }))
    expect(await store.revoke(id('unknown'), t0)).toBeUndefined()
    expect(await store.findById(id('unknown'))).toBeUndefined()
  })

  it('rotates: stores the replacement and ends the old key at the grace end, or at its own earlier expiry', async () => {
    const grace = t0 + day
    await store.create(apiKeyRecord('never', { createdAt: t0 }))
    await store.create(apiKeyRecord('later', { createdAt: t0 + 1, expiresAt: t0 + 90 * day }))
    await store.create(apiKeyRecord('sooner', { createdAt: t0 + 2, expiresAt: t0 + 1000 }))
    const cases = [
      ['never', grace],
      ['later', grace],
      ['sooner', t0 + 1000],
    ] as const
    for (const [i, [name, expiresAt]] of cases.entries()) {
      const replacement = apiKeyRecord(`${name}2`, { createdAt: t0 + 10 + i, hash: 'ef'.repeat(32) })
      const old = await store.findById(id(name))
      const rotated = await store.rotate(id(name), replacement, grace)
      expect(rotated).toEqual({ ...old, expiresAt, replacedBy: replacement.id })
      expect(await store.findById(id(name))).toEqual(rotated)
      expect(await store.findById(replacement.id)).toEqual(replacement)
    }
    expect((await store.listByOwner('acct_1')).map((record) => record.id)).toEqual(
      ['never', 'later', 'sooner', 'never2', 'later2', 'sooner2'].map(id),
    )
  })

  it('refuses to rotate an unknown, revoked or rotated key, changing nothing', async () => {
    await store.create(apiKeyRecord('revoked'))
    await store.revoke(id('revoked'), t0 + 1)
    await store.create(apiKeyRecord('rotated'))
    await store.rotate(id('rotated'), apiKeyRecord('rotated2'), t0 + day)
    const before = await store.listByOwner('acct_1')
    for (const name of ['unknown', 'revoked', 'rotated']) {
      expect(await store.rotate(id(name), apiKeyRecord(`${name}3`), t0 + 1)).toBeUndefined()
      expect(await store.findById(id(`${name}3`))).toBeUndefined()
    }
    expect(await store.listByOwner('acct_1')).toEqual(before)
  })

  it('refuses a replacement whose id is taken, changing nothing', async () => {
    await store.create(apiKeyRecord('a'))
    await store.create(apiKeyRecord('b'))
    await expect(
      store.rotate(id('a'), apiKeyRecord('b', { createdAt: t0 + 1 }), t0 + day),
    ).rejects.toMatchObject({
      code: 'SEC_API_KEY_EXISTS',
    })
    expect(await store.listByOwner('acct_1')).toEqual([apiKeyRecord('a'), apiKeyRecord('b')])
  })

  it('rotates a key exactly once when 20 rotations of it race', async () => {
    await store.create(apiKeyRecord('a'))
    const replacements = Array.from({ length: 20 }, (_, i) => apiKeyRecord(`r${i}`, { createdAt: t0 + 1 }))
    const results = await Promise.all(replacements.map((r) => store.rotate(id('a'), r, t0 + day)))
    const won = results.filter((result) => result !== undefined)
    expect(won).toHaveLength(1)
    const winner = won[0]?.replacedBy
    const stored = await Promise.all(replacements.map((r) => store.findById(r.id)))
    expect(stored.filter((record) => record !== undefined).map((record) => record?.id)).toEqual([winner])
    expect((await store.listByOwner('acct_1')).map((record) => record.id)).toEqual([id('a'), winner])
    expect(await store.findById(id('a'))).toEqual(
      apiKeyRecord('a', { expiresAt: t0 + day, replacedBy: winner }),
    )
  })

  it('moves the last-used time forward only, and ignores unknown ids', async () => {
    await store.create(apiKeyRecord('a'))
    await store.touch(id('a'), t0 + 5000)
    expect((await store.findById(id('a')))?.lastUsedAt).toBe(t0 + 5000)
    await store.touch(id('a'), t0 + 4000)
    expect((await store.findById(id('a')))?.lastUsedAt).toBe(t0 + 5000)
    await store.touch(id('a'), t0 + 6000)
    expect(await store.findById(id('a'))).toEqual(apiKeyRecord('a', { lastUsedAt: t0 + 6000 }))
    await store.touch(id('unknown'), t0)
    expect(await store.findById(id('unknown'))).toBeUndefined()
  })

  it('keeps owners apart whatever characters they hold, and rotates within each', async () => {
    const owners = ['acct', '{acct}', 'acct}', '}{', '%7B', '%7Bacct%7D', 'é', 'e\u0301', 'x'.repeat(255)]
    for (const [i, owner] of owners.entries()) await store.create(apiKeyRecord(`o${i}`, { owner }))
    for (const [i, owner] of owners.entries()) {
      expect((await store.listByOwner(owner)).map((record) => record.id)).toEqual([id(`o${i}`)])
      const replacement = apiKeyRecord(`n${i}`, { owner, createdAt: t0 + 1 })
      expect((await store.rotate(id(`o${i}`), replacement, t0 + day))?.replacedBy).toBe(replacement.id)
      expect((await store.listByOwner(owner)).map((record) => record.id)).toEqual([id(`o${i}`), id(`n${i}`)])
    }
  })
}
