import { describe, expect, it } from 'vitest'
import { createApiKeyHasher, digestsEqual } from './key-hash.js'

describe('createApiKeyHasher', () => {
  it('stores plain SHA-256 without a pepper', async () => {
    const hasher = createApiKeyHasher()
    expect(hasher.algorithm).toBe('sha256')
    expect(await hasher.hash('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
  })

  it('stores HMAC-SHA-256 keyed by the pepper (RFC 4231 test case 2)', async () => {
    const hasher = createApiKeyHasher('Jefe')
    expect(hasher.algorithm).toBe('hmac-sha256')
    expect(await hasher.hash('what do ya want for nothing?')).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    )
    expect(
      await createApiKeyHasher(new TextEncoder().encode('Jefe')).hash('what do ya want for nothing?'),
    ).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843')
  })

  it('keeps its own copy of a byte pepper', async () => {
    const pepper = new TextEncoder().encode('Jefe')
    const hasher = createApiKeyHasher(pepper)
    pepper.fill(0)
    expect(await hasher.hash('what do ya want for nothing?')).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    )
  })

  it('gives different digests for different peppers', async () => {
    const a = await createApiKeyHasher('a'.repeat(32)).hash('sk_live_x')
    const b = await createApiKeyHasher('b'.repeat(32)).hash('sk_live_x')
    expect(a).not.toBe(b)
    expect(a).toMatch(/^[0-9a-f]{64}$/)
  })
})

describe('digestsEqual', () => {
  it('compares whole digests', () => {
    const d = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'
    expect(digestsEqual(d, d)).toBe(true)
    expect(digestsEqual(d, `${d.slice(0, 63)}e`)).toBe(false)
    expect(digestsEqual(d, `0${d.slice(1)}`)).toBe(false)
    expect(digestsEqual(d, d.slice(0, 63))).toBe(false)
    expect(digestsEqual('', '')).toBe(true)
  })
})
