import { createHmac, hash } from 'node:crypto'

const blockSize = 64

interface PaddedKey {
  readonly inner: Buffer
  readonly outer: Buffer
}

// The signer and verifier cache each derived signing key and hand the same bytes back, so the
// key's padded blocks are worked out once per key rather than inside an Hmac object per call.
const paddedKeys = new WeakMap<Uint8Array, PaddedKey>()

function paddedKey(key: Uint8Array): PaddedKey {
  let padded = paddedKeys.get(key)
  if (padded === undefined) {
    const inner = Buffer.alloc(blockSize, 0x36)
    const outer = Buffer.alloc(blockSize, 0x5c)
    for (let i = 0; i < key.length; i++) {
      inner[i] = (inner[i] as number) ^ (key[i] as number)
      outer[i] = (outer[i] as number) ^ (key[i] as number)
    }
    padded = { inner, outer }
    paddedKeys.set(key, padded)
  }
  return padded
}

/**
 * HMAC-SHA-256 (RFC 2104) as two one-shot hashes over the key's padded blocks: about 15% cheaper
 * than a `createHmac` object per call, which the final signing step pays on every request.
 */
function hmacHexFromHashes(key: Uint8Array, data: Uint8Array | string): string {
  const { inner, outer } = paddedKey(key)
  const length = typeof data === 'string' ? Buffer.byteLength(data) : data.length
  const innerMessage = Buffer.allocUnsafe(blockSize + length)
  inner.copy(innerMessage, 0)
  if (typeof data === 'string') innerMessage.write(data, blockSize)
  else innerMessage.set(data, blockSize)
  const outerMessage = Buffer.allocUnsafe(blockSize + 32)
  outer.copy(outerMessage, 0)
  outerMessage.set(hash('sha256', innerMessage, 'buffer'), blockSize)
  return hash('sha256', outerMessage, 'hex')
}

/**
 * The SHA-256 and HMAC-SHA-256 that SigV4 signing needs, on `node:crypto`: synchronous, without
 * Web Crypto's promise and key import per call. Pass it as the `crypto` option of `createSigner`,
 * `createSigV4Verifier` or the `sigv4` guard of `@sec/core` (it has the shape of core's `SigningCrypto`).
 *
 * @example
 * sigv4({ credentials, region: 'eu', service: 'notes', crypto: nodeSigningCrypto })
 */
export const nodeSigningCrypto: {
  sha256Hex(data: Uint8Array | string): string
  hmacSha256(key: Uint8Array, data: Uint8Array | string): Uint8Array
  hmacSha256Hex(key: Uint8Array, data: Uint8Array | string): string
} = {
  // One-shot hashing (Node 20.12+) costs about half of a Hash object on bodies and canonical requests.
  sha256Hex(data) {
    return hash('sha256', data, 'hex')
  },
  hmacSha256(key, data) {
    return createHmac('sha256', key).update(data).digest()
  },
  // Hex straight from OpenSSL costs about half of a Buffer converted to hex in JavaScript.
  hmacSha256Hex(key, data) {
    return key.length <= blockSize
      ? hmacHexFromHashes(key, data)
      : createHmac('sha256', key).update(data).digest('hex')
  },
}
