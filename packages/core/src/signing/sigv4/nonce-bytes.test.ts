import { describe, expect, it } from 'vitest'
import type { RandomSource } from '../../pipeline/index.js'
import { nonceBytes } from './nonce-bytes.js'

function countingRandom(): RandomSource & { calls: number[] } {
  let next = 0
  const calls: number[] = []
  const random = (bytes: Uint8Array<ArrayBuffer>) => {
    calls.push(bytes.length)
    for (let i = 0; i < bytes.length; i++) bytes[i] = next++ % 251
    return bytes
  }
  return Object.assign(random, { calls })
}

describe('nonceBytes', () => {
  it('calls an injected source once per nonce, with 16 bytes', () => {
    const random = countingRandom()
    const next = nonceBytes(random, false)
    expect(Array.from(next())).toEqual(Array.from({ length: 16 }, (_, i) => i))
    expect(Array.from(next())).toEqual(Array.from({ length: 16 }, (_, i) => 16 + i))
    expect(random.calls).toEqual([16, 16])
  })

  it('draws the system source 4 KiB at a time, and hands out each 16 bytes once', () => {
    const random = countingRandom()
    const next = nonceBytes(random, true)
    const seen: number[] = []
    for (let i = 0; i < 600; i++) {
      const bytes = next()
      expect(bytes).toHaveLength(16)
      seen.push(...bytes)
    }
    expect(random.calls).toEqual([4096, 4096, 4096])
    expect(seen).toEqual(Array.from({ length: 600 * 16 }, (_, i) => i % 251))
  })
})
