import { createHmac, hash } from 'node:crypto'

const blockSize = 64
/** Messages up to this many bytes are written into the key's own buffer; longer ones get a buffer of their own. */
const maxKeptMessage = 4096

/** A key's padded blocks, each at the start of the buffer its hash input is written into. */
interface PaddedKey {
  /** The inner padded block, then room for the message. */
  inner: Buffer
  /** The outer padded block, then room for the inner digest. */
  readonly outer: Buffer
}

// The signer and verifier cache each derived signing key and hand the same bytes back, so the
// key's padded blocks are worked out once per key, and each key keeps the buffers its two hashes
// read: a signature allocates no buffer, only a view and the digests.
const paddedKeys = new WeakMap<Uint8Array, PaddedKey>()

function paddedKey(key: Uint8Array): PaddedKey {
  let padded = paddedKeys.get(key)
  if (padded === undefined) {
    const inner = Buffer.alloc(blockSize + 256, 0x36)
    const outer = Buffer.alloc(blockSize + 32, 0x5c)
    for (let i = 0; i < key.length; i++) {
      inner[i] = (inner[i] as number) ^ (key[i] as number)
      outer[i] = (outer[i] as number) ^ (key[i] as number)
    }
    padded = { inner, outer }
    paddedKeys.set(key, padded)
  }
  return padded
}

/** A buffer with `padded`'s inner block first and room for `room` more bytes. */
function innerMessage(padded: PaddedKey, room: number): Buffer {
  if (padded.inner.length >= blockSize + room) return padded.inner
  const grown = Buffer.allocUnsafe(blockSize + room)
  padded.inner.copy(grown, 0, 0, blockSize)
  if (room <= maxKeptMessage) padded.inner = grown
  return grown
}

/**
 * HMAC-SHA-256 (RFC 2104) as two one-shot hashes over buffers that start with the key's padded
 * blocks: no `createHmac` object, no buffer allocated nor padded block copied per call, and the
 * inner digest handed over as a `binary` (latin1) string, one byte per character, which Node
 * makes faster than a `Buffer`. The final signing step pays this on every request.
 */
function hmacHexFromHashes(key: Uint8Array, data: Uint8Array | string): string {
  const padded = paddedKey(key)
  let message: Buffer
  let length: number
  if (typeof data === 'string') {
    // UTF-8 takes at most 3 bytes per UTF-16 code unit.
    message = innerMessage(padded, 3 * data.length)
    length = blockSize + message.write(data, blockSize)
  } else {
    message = innerMessage(padded, data.length)
    message.set(data, blockSize)
    length = blockSize + data.length
  }
  const { outer } = padded
  outer.write(hash('sha256', message.subarray(0, length), 'binary'), blockSize, 'binary')
  return hash('sha256', outer, 'hex')
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
