import type { RandomSource } from '../pipeline/index.js'

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'

/** Bytes of randomness in a nonce: 144 bits, which base64 writes as 24 characters without padding. */
export const nonceBytes = 18

/**
 * Makes a function that returns a fresh nonce on each call: {@link nonceBytes} random bytes in
 * base64. One buffer is reused, since each call encodes its bytes before returning.
 */
export function createNonceSource(random: RandomSource): () => string {
  const buffer = new Uint8Array(nonceBytes)
  return () => {
    const bytes = random(buffer)
    let out = ''
    for (let i = 0; i < nonceBytes; i += 3) {
      const n = ((bytes[i] ?? 0) << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0)
      out +=
        alphabet.charAt(n >>> 18) +
        alphabet.charAt((n >>> 12) & 63) +
        alphabet.charAt((n >>> 6) & 63) +
        alphabet.charAt(n & 63)
    }
    return out
  }
}
