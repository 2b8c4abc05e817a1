import { describe, expect, it, vi } from 'vitest'
import { SecConfigError } from '../errors/index.js'
import type { ApiKeyStore } from './api-key-store.js'
import { type ApiKeysOptions, createApiKeys } from './api-keys.js'
import { parseApiKey } from './key-format.js'
import { createApiKeyHasher } from './key-hash.js'
import { memoryApiKeyStore } from './memory-api-key-store.js'

const pepper = 'a-32-byte-pepper-for-tests-only!'
const day = 86_400_000

function setup(extra: Partial<ApiKeysOptions> = {}) {
  const clock = {
    t: 1_000_000,
    now() {
      return this.t
    },
  }
  const store = memoryApiKeyStore({ clock })
  const keys = createApiKeys({ store, environment: 'live', pepper, clock, ...extra })
  return { clock, store, keys }
}

describe('createApiKeys: issue and list', () => {
  it('returns the whole key once, and stores only its peppered hash', async () => {
    const { keys, store } = setup()
    const { key, metadata } = await keys.issue({
      owner: 'acct_1',
      scopes: ['notes:read', 'notes:read'],
      name: 'ci',
    })
    const parsed = parseApiKey(key)
    expect(parsed?.kind).toBe('secret')
    expect(parsed?.environment).toBe('live')
    expect(metadata).toEqual({
      id: parsed?.keyId,
      owner: 'acct_1',
      kind: 'secret',
      environment: 'live',
      scopes: ['notes:read'],
      name: 'ci',
      createdAt: 1_000_000,
      expiresAt: undefined,
      revokedAt: undefined,
      lastUsedAt: undefined,
      replacedBy: undefined,
    })
    const stored = await store.findById(metadata.id)
    expect(stored?.hash).toBe(await createApiKeyHasher(pepper).hash(key))
    expect(JSON.stringify(stored)).not.toContain(key.slice(21))
  })

  it('lists metadata only, never a hash; active drops revoked and expired keys', async () => {
    const { keys, clock } = setup()
    const a = await keys.issue({ owner: 'acct_1', expiresIn: '1h' })
    const b = await keys.issue({ owner: 'acct_1', kind: 'publishable' })
    await keys.issue({ owner: 'acct_2' })
    const listed = await keys.list('acct_1')
    expect(listed.map((m) => m.id)).toEqual([a.metadata.id, b.metadata.id])
    expect(listed.every((m) => !('hash' in m))).toBe(true)
    expect(listed[0]?.expiresAt).toBe(1_000_000 + 3_600_000)
    clock.t += 3_600_000
    expect((await keys.list('acct_1', { active: true })).map((m) => m.id)).toEqual([b.metadata.id])
    expect(await keys.get(a.metadata.id)).toEqual(a.metadata)
    expect(await keys.get(a.metadata.id, { owner: 'acct_2' })).toBeUndefined()
    expect(await keys.get("' OR 1=1 --")).toBeUndefined()
  })

  it('issues keys of its own environment', async () => {
    const { key } = await setup({ environment: 'test' }).keys.issue({ owner: 'acct_1', kind: 'publishable' })
    expect(key).toMatch(/^pk_test_/)
  })

  it('refuses bad issue input, naming it', async () => {
    const { keys } = setup()
    await expect(keys.issue({ owner: '' })).rejects.toThrow(/^apiKeys\.issue\.owner: /)
    await expect(keys.issue({ owner: 'a', scopes: ['has space'] })).rejects.toThrow(
      'apiKeys.issue.scopes[0]: Expected a scope token such as notes:read.',
    )
    await expect(keys.issue({ owner: 'a', expiresIn: 0 })).rejects.toThrow(
      'apiKeys.issue.expiresIn: must be longer than zero.',
    )
    await expect(keys.issue({ owner: 'a', expires: '1d' } as never)).rejects.toThrow(SecConfigError)
  })
})

describe('createApiKeys: verify', () => {
  it('accepts a valid key and records its use at most once per touch interval', async () => {
    const { keys, clock } = setup()
    const { key, metadata } = await keys.issue({ owner: 'acct_1', scopes: ['notes:read'] })
    expect(await keys.verify(key)).toEqual({ valid: true, metadata })
    await Promise.resolve()
    expect((await keys.get(metadata.id))?.lastUsedAt).toBe(1_000_000)
    clock.t += 59_999
    await keys.verify(key)
    await Promise.resolve()
    expect((await keys.get(metadata.id))?.lastUsedAt).toBe(1_000_000)
    clock.t += 1
    await keys.verify(key)
    await Promise.resolve()
    expect((await keys.get(metadata.id))?.lastUsedAt).toBe(1_060_000)
  })

  it('rejects a typo without touching the store', async () => {
    const store: ApiKeyStore = { ...memoryApiKeyStore(), findById: vi.fn(async () => undefined) }
    const keys = createApiKeys({ store, environment: 'live' })
    const { key } = await keys.issue({ owner: 'acct_1' })
    const typo = `${key.slice(0, 30)}${key[30] === 'a' ? 'b' : 'a'}${key.slice(31)}`
    expect(await keys.verify(typo)).toEqual({ valid: false, refusal: 'malformed' })
    expect(await keys.verify('')).toEqual({ valid: false, refusal: 'malformed' })
    expect(store.findById).not.toHaveBeenCalled()
  })

  it('refuses a key of the other environment before any lookup', async () => {
    const store = memoryApiKeyStore()
    const testKeys = createApiKeys({ store, environment: 'test' })
    const liveKeys = createApiKeys({ store, environment: 'live' })
    const { key } = await testKeys.issue({ owner: 'acct_1' })
    expect(await liveKeys.verify(key)).toEqual({ valid: false, refusal: 'wrong-environment' })
    expect((await testKeys.verify(key)).valid).toBe(true)
  })

  it('refuses unknown ids, a changed pepper and a record of another kind', async () => {
    const { keys, store } = setup()
    const other = setup()
    const { key: foreign } = await other.keys.issue({ owner: 'acct_1' })
    expect(await keys.verify(foreign)).toEqual({ valid: false, refusal: 'unknown' })
    const { key, metadata } = await keys.issue({ owner: 'acct_1' })
    const repeppered = createApiKeys({
      store,
      environment: 'live',
      pepper: 'another-32-byte-pepper-for-tests',
    })
    expect(await repeppered.verify(key)).toEqual({ valid: false, refusal: 'mismatch' })
    const stored = await store.findById(metadata.id)
    const tampered: ApiKeyStore = {
      ...store,
      findById: async () => (stored === undefined ? undefined : { ...stored, kind: 'publishable' }),
    }
    const tamperedKeys = createApiKeys({ store: tampered, environment: 'live', pepper })
    expect(await tamperedKeys.verify(key)).toEqual({ valid: false, refusal: 'mismatch' })
  })

  it('refuses revoked and expired keys', async () => {
    const { keys, clock } = setup()
    const a = await keys.issue({ owner: 'acct_1' })
    expect(await keys.revoke(a.metadata.id)).toEqual({
      ...a.metadata,
      revokedAt: 1_000_000,
      lastUsedAt: undefined,
    })
    expect(await keys.verify(a.key)).toEqual({ valid: false, refusal: 'revoked' })
    const b = await keys.issue({ owner: 'acct_1', expiresIn: '30d' })
    clock.t += 30 * day - 1
    expect((await keys.verify(b.key)).valid).toBe(true)
    clock.t += 1
    expect(await keys.verify(b.key)).toEqual({ valid: false, refusal: 'expired' })
  })

  it('still answers when recording the last use fails', async () => {
    const store: ApiKeyStore = {
      ...memoryApiKeyStore(),
      touch: () => {
        throw new Error('down')
      },
    }
    const keys = createApiKeys({ store, environment: 'live' })
    const { key } = await keys.issue({ owner: 'acct_1' })
    expect((await keys.verify(key)).valid).toBe(true)
  })
})

describe('createApiKeys: rotate and revoke', () => {
  it('rotates without downtime: both keys work until the grace period ends', async () => {
    const { keys, clock } = setup()
    const old = await keys.issue({
      owner: 'acct_1',
      scopes: ['notes:write'],
      name: 'deploy',
      expiresIn: '90d',
    })
    clock.t += day
    const rotated = await keys.rotate(old.metadata.id, { gracePeriod: '1h' })
    if (rotated === undefined) throw new Error('not rotated')
    expect(rotated.key).not.toBe(old.key)
    expect(rotated.metadata).toMatchObject({
      owner: 'acct_1',
      scopes: ['notes:write'],
      name: 'deploy',
      createdAt: 1_000_000 + day,
      expiresAt: 1_000_000 + day + 90 * day,
    })
    expect(await keys.get(old.metadata.id)).toMatchObject({
      expiresAt: 1_000_000 + day + 3_600_000,
      replacedBy: rotated.metadata.id,
    })
    clock.t += 3_600_000 - 1
    expect((await keys.verify(old.key)).valid).toBe(true)
    expect((await keys.verify(rotated.key)).valid).toBe(true)
    clock.t += 1
    expect(await keys.verify(old.key)).toEqual({ valid: false, refusal: 'expired' })
    expect((await keys.verify(rotated.key)).valid).toBe(true)
  })

  it('defaults to a 24 hour grace period, never beyond the old expiry, and can end it now', async () => {
    const { keys } = setup()
    const a = await keys.issue({ owner: 'acct_1' })
    const ra = await keys.rotate(a.metadata.id)
    expect((await keys.get(a.metadata.id))?.expiresAt).toBe(1_000_000 + day)
    expect(ra?.metadata.expiresAt).toBeUndefined()
    const b = await keys.issue({ owner: 'acct_1', expiresIn: '1h' })
    await keys.rotate(b.metadata.id, { gracePeriod: '7d', expiresIn: null })
    expect((await keys.get(b.metadata.id))?.expiresAt).toBe(1_000_000 + 3_600_000)
    const c = await keys.issue({ owner: 'acct_1' })
    const rc = await keys.rotate(c.metadata.id, { gracePeriod: 0, expiresIn: '10d' })
    expect(await keys.verify(c.key)).toEqual({ valid: false, refusal: 'expired' })
    expect(rc?.metadata.expiresAt).toBe(1_000_000 + 10 * day)
  })

  it('rotates only working keys, once, and only the owner’s', async () => {
    const { keys, clock } = setup()
    const a = await keys.issue({ owner: 'acct_1', expiresIn: '1h' })
    expect(await keys.rotate(a.metadata.id, { owner: 'acct_2' })).toBeUndefined()
    expect(await keys.rotate('000000000000')).toBeUndefined()
    expect(await keys.rotate(a.metadata.id, { owner: 'acct_1' })).toBeDefined()
    expect(await keys.rotate(a.metadata.id)).toBeUndefined()
    const b = await keys.issue({ owner: 'acct_1' })
    await keys.revoke(b.metadata.id)
    expect(await keys.rotate(b.metadata.id)).toBeUndefined()
    const c = await keys.issue({ owner: 'acct_1', expiresIn: '1h' })
    clock.t += 3_600_000
    expect(await keys.rotate(c.metadata.id)).toBeUndefined()
  })

  it('revokes only the owner’s key, and keeps the first revocation time', async () => {
    const { keys, clock } = setup()
    const a = await keys.issue({ owner: 'acct_1' })
    expect(await keys.revoke(a.metadata.id, { owner: 'acct_2' })).toBeUndefined()
    expect((await keys.verify(a.key)).valid).toBe(true)
    expect((await keys.revoke(a.metadata.id, { owner: 'acct_1' }))?.revokedAt).toBe(1_000_000)
    clock.t += 5
    expect((await keys.revoke(a.metadata.id))?.revokedAt).toBe(1_000_000)
    expect(await keys.revoke('000000000000')).toBeUndefined()
  })
})

describe('createApiKeys options', () => {
  const store = memoryApiKeyStore()

  it('refuses a short pepper, a missing environment, a non-store and unknown options', () => {
    expect(() => createApiKeys({ store, environment: 'live', pepper: 'short' })).toThrow(
      'apiKeys.pepper: must be at least 32 bytes; got 5. Generate one with crypto.getRandomValues(new Uint8Array(32)) and keep it in a secret store, or omit it to store plain SHA-256.',
    )
    expect(() => createApiKeys({ store, environment: 'live', pepper: new Uint8Array(31) })).toThrow(
      /^apiKeys\.pepper: must be at least 32 bytes; got 31\./,
    )
    expect(() => createApiKeys({ store } as never)).toThrow(
      "apiKeys.environment: is required: 'live' in production, 'test' elsewhere, so that keys of one never work in the other.",
    )
    expect(() => createApiKeys({ store, environment: 'prod' } as never)).toThrow(
      "apiKeys.environment: Expected 'live' or 'test'.",
    )
    expect(() => createApiKeys({ environment: 'live' } as never)).toThrow(/^apiKeys\.store: is required/)
    expect(() => createApiKeys({ store: {}, environment: 'live' } as never)).toThrow(
      'apiKeys.store: Expected an ApiKeyStore such as memoryApiKeyStore().',
    )
    expect(() => createApiKeys({ store, environment: 'live', peper: 'x' } as never)).toThrow(
      'apiKeys.peper: is not a known option. Remove it or check its spelling against the documentation.',
    )
    expect(() => createApiKeys({ store, environment: 'live', touchInterval: '1 minute' } as never)).toThrow(
      /^apiKeys\.touchInterval: /,
    )
  })

  it('uses the injected random source', async () => {
    let calls = 0
    const keys = createApiKeys({
      store: memoryApiKeyStore(),
      environment: 'live',
      random: (bytes) => {
        calls++
        return bytes.fill(1)
      },
    })
    const { key } = await keys.issue({ owner: 'acct_1' })
    expect(key.slice(0, 43)).toBe(`sk_live_${'1'.repeat(12)}_${'1'.repeat(22)}`)
    expect(calls).toBe(2)
  })
})
