import type { RandomSource } from '../../pipeline/index.js'

/** Random bytes drawn at once for the system source: 256 nonces per call to it. */
const poolSize = 4096
const nonceSize = 16

/**
 * A source of fresh 16-byte nonces. From the system's CSPRNG (`pooled`), bytes are drawn 4 KiB at
 * a time, since each call to it costs far more than the bytes; an injected `random` is called once
 * per nonce, as given, so tests keep their sequence. The bytes answered are read before the next
 * call and never again.
 */
export function nonceBytes(random: RandomSource, pooled: boolean): () => Uint8Array {
  if (!pooled) return () => random(new Uint8Array(nonceSize))
  const pool = new Uint8Array(poolSize)
  let used = poolSize
  return () => {
    if (used === poolSize) {
      random(pool)
      used = 0
    }
    used += nonceSize
    return pool.subarray(used - nonceSize, used)
  }
}
