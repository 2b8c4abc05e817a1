import { webcrypto } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { nodeSigningCrypto } from './node-signing-crypto.js'

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex')
const utf8 = new TextEncoder()

async function webHmac(key: Uint8Array, data: Uint8Array): Promise<string> {
  const imported = await webcrypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ])
  return hex(new Uint8Array(await webcrypto.subtle.sign('HMAC', imported, data)))
}

describe('nodeSigningCrypto', () => {
  it('hashes the empty string and text as UTF-8 (FIPS 180-2 vectors)', () => {
    expect(nodeSigningCrypto.sha256Hex('')).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    )
    expect(nodeSigningCrypto.sha256Hex('abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    )
    expect(nodeSigningCrypto.sha256Hex(utf8.encode('abc'))).toBe(nodeSigningCrypto.sha256Hex('abc'))
    expect(nodeSigningCrypto.sha256Hex('ሴ')).toBe(nodeSigningCrypto.sha256Hex(utf8.encode('ሴ')))
  })

  it('computes HMAC-SHA-256 (RFC 4231 test case 2)', () => {
    const mac = nodeSigningCrypto.hmacSha256(utf8.encode('Jefe'), 'what do ya want for nothing?')
    expect(mac).toBeInstanceOf(Uint8Array)
    expect(hex(mac)).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843')
    expect(nodeSigningCrypto.hmacSha256Hex(utf8.encode('Jefe'), 'what do ya want for nothing?')).toBe(
      hex(mac),
    )
  })

  it('derives the SigV4 signing key of the AWS documentation example', () => {
    let key: Uint8Array = utf8.encode('AWS4wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY')
    for (const part of ['20120215', 'us-east-1', 'iam', 'aws4_request'])
      key = nodeSigningCrypto.hmacSha256(key, part)
    expect(hex(key)).toBe('f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d')
  })

  // Web Crypto refuses empty HMAC keys; SigV4 keys never are (a prefix and a non-empty secret, then 32 bytes).
  it('agrees with Web Crypto on any key and data', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 1, maxLength: 100 }),
        fc.uint8Array({ maxLength: 300 }),
        async (key, data) => {
          expect(hex(nodeSigningCrypto.hmacSha256(key, data))).toBe(await webHmac(key, data))
          expect(nodeSigningCrypto.hmacSha256Hex(key, data)).toBe(await webHmac(key, data))
          expect(nodeSigningCrypto.sha256Hex(data)).toBe(
            hex(new Uint8Array(await webcrypto.subtle.digest('SHA-256', data))),
          )
        },
      ),
      { numRuns: 100 },
    )
  })

  it('agrees with Web Crypto on text, reusing one key object for many messages', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 1, maxLength: 80 }),
        fc.array(fc.string({ unit: 'binary', maxLength: 200 }), { minLength: 1, maxLength: 4 }),
        async (key, texts) => {
          for (const text of texts)
            expect(nodeSigningCrypto.hmacSha256Hex(key, text)).toBe(await webHmac(key, utf8.encode(text)))
        },
      ),
      { numRuns: 100 },
    )
  })

  it('gives the same HMAC whatever the length of the messages before, with one key (its buffers reused or not)', async () => {
    const key = utf8.encode('AWS4 signing key of 32 bytes....')
    const lengths = [0, 10, 300, 100, 1500, 5000, 20, 4096, 1365, 1366, 7]
    for (const length of lengths) {
      const text = 'é'.repeat(Math.floor(length / 2)) + 'a'.repeat(length % 2)
      const bytes = new Uint8Array(length).fill(length % 251)
      expect(nodeSigningCrypto.hmacSha256Hex(key, text)).toBe(await webHmac(key, utf8.encode(text)))
      expect(nodeSigningCrypto.hmacSha256Hex(key, bytes)).toBe(await webHmac(key, bytes))
      expect(nodeSigningCrypto.hmacSha256Hex(key, '3 bytes each: ሴ'.repeat(length >> 4))).toBe(
        await webHmac(key, utf8.encode('3 bytes each: ሴ'.repeat(length >> 4))),
      )
    }
  })
})
