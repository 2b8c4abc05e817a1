import { describe, expect, it } from 'vitest'
import { defaultPasswordCost, hashPassword, verifyPassword } from './password-hash.js'

const cost = 1024

describe('hashPassword and verifyPassword', () => {
  it('verify the password a hash was made from, and no other', async () => {
    const stored = await hashPassword('correct horse', { cost })
    expect(await verifyPassword('correct horse', stored)).toBe(true)
    expect(await verifyPassword('correct horsE', stored)).toBe(false)
    expect(await verifyPassword('', stored)).toBe(false)
  })

  it('keep the cost, a 16-byte salt and a 32-byte hash, never the password', async () => {
    const stored = await hashPassword('correct horse', { cost, random: (bytes) => bytes.fill(1) })
    expect(stored.cost).toBe(1024)
    expect([...stored.salt]).toEqual(Array.from({ length: 16 }, () => 1))
    expect(stored.hash).toHaveLength(32)
    expect(Buffer.from(stored.hash).toString('utf8')).not.toContain('correct horse')
  })

  it('salt every hash: the same password hashes differently twice', async () => {
    const [first, second] = await Promise.all([
      hashPassword('same', { cost }),
      hashPassword('same', { cost }),
    ])
    expect(Buffer.from(first.salt).equals(Buffer.from(second.salt))).toBe(false)
    expect(Buffer.from(first.hash).equals(Buffer.from(second.hash))).toBe(false)
  })

  it('compare passwords in NFKC form, so one typed with a composed or a decomposed accent matches', async () => {
    const stored = await hashPassword('caf\u00e9', { cost })
    expect(await verifyPassword('cafe\u0301', stored)).toBe(true)
  })

  it('cost 2^14 by default', async () => {
    expect(defaultPasswordCost).toBe(16_384)
    expect((await hashPassword('x')).cost).toBe(16_384)
  })

  it.each([0, 1000, 512, 262_144, 1.5])('refuse a cost of %s', async (bad) => {
    await expect(hashPassword('x', { cost: bad })).rejects.toThrow(
      `passwordCost must be a power of two from 1024 to 131072, got ${bad}.`,
    )
  })
})
