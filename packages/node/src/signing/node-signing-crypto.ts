import { createHmac, hash } from 'node:crypto'

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
    return createHmac('sha256', key).update(data).digest('hex')
  },
}
