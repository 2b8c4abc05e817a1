import { describe, expect, it } from 'vitest'
import { type SigningCrypto, toHex, webSigningCrypto } from './signing-crypto.js'
import { signingKeyCache } from './signing-key.js'

function countingCrypto(): SigningCrypto & { hmacs: number } {
  const counting = {
    hmacs: 0,
    sha256Hex: webSigningCrypto.sha256Hex,
    hmacSha256(key: Uint8Array, data: Uint8Array | string) {
      counting.hmacs++
      return webSigningCrypto.hmacSha256(key, data)
    },
  }
  return counting
}

const rules = { keyPrefix: 'AWS4', terminator: 'aws4_request', maxEntries: 2 }

describe('signingKeyCache', () => {
  it('derives the signing key of the AWS documentation example', async () => {
    const keys = signingKeyCache(webSigningCrypto, rules)
    const key = await keys.key('wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', '20120215', 'us-east-1', 'iam')
    expect(toHex(key)).toBe('f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d')
  })

  it('derives a key once per secret, day, region and service, concurrent first uses included', async () => {
    const crypto = countingCrypto()
    const keys = signingKeyCache(crypto, rules)
    const [a, b] = await Promise.all([
      keys.key('s', '20260115', 'eu', 'notes'),
      keys.key('s', '20260115', 'eu', 'notes'),
    ])
    expect(a).toBe(b)
    expect(await keys.key('s', '20260115', 'eu', 'notes')).toBe(a)
    expect(crypto.hmacs).toBe(4)
    await keys.key('s', '20260116', 'eu', 'notes')
    expect(crypto.hmacs).toBe(8)
  })

  it('keeps at most maxEntries keys, dropping the oldest', async () => {
    const crypto = countingCrypto()
    const keys = signingKeyCache(crypto, rules)
    await keys.key('a', '20260115', 'eu', 'notes')
    await keys.key('b', '20260115', 'eu', 'notes')
    await keys.key('c', '20260115', 'eu', 'notes')
    expect(crypto.hmacs).toBe(12)
    await keys.key('c', '20260115', 'eu', 'notes')
    await keys.key('b', '20260115', 'eu', 'notes')
    expect(crypto.hmacs).toBe(12)
    await keys.key('a', '20260115', 'eu', 'notes')
    expect(crypto.hmacs).toBe(16)
  })

  it('forgets a derivation that failed, so the next use retries', async () => {
    let fail = true
    const flaky: SigningCrypto = {
      sha256Hex: webSigningCrypto.sha256Hex,
      hmacSha256(key, data) {
        if (fail) return Promise.reject(new Error('unavailable'))
        return webSigningCrypto.hmacSha256(key, data)
      },
    }
    const keys = signingKeyCache(flaky, rules)
    await expect(keys.key('s', '20260115', 'eu', 'notes')).rejects.toThrow('unavailable')
    fail = false
    expect(await keys.key('s', '20260115', 'eu', 'notes')).toHaveLength(32)
  })

  it('uses the configured prefix and terminator', async () => {
    const aws = await signingKeyCache(webSigningCrypto, rules).key('s', '20260115', 'eu', 'notes')
    const own = await signingKeyCache(webSigningCrypto, {
      ...rules,
      keyPrefix: 'SEC1',
      terminator: 'sec1_request',
    }).key('s', '20260115', 'eu', 'notes')
    expect(toHex(own)).not.toBe(toHex(aws))
  })
})
