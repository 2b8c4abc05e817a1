const encoder = new TextEncoder()

/**
 * Whether two byte arrays are equal, in a time that depends only on their length: every byte is
 * compared, with no early exit, so a mismatch position cannot be learnt by timing. Different
 * lengths answer `false` at once: callers compare values whose length is public (digests, encodings
 * of a fixed size).
 */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  let difference = 0
  for (let i = 0; i < a.length; i++) difference |= (a[i] as number) ^ (b[i] as number)
  return difference === 0
}

/**
 * {@link bytesEqual} over the UTF-8 of two strings of public length (base64url digests). Lone
 * surrogates all encode as U+FFFD, so it is meant for well-formed text such as encodings.
 */
export function stringsEqual(a: string, b: string): boolean {
  return bytesEqual(encoder.encode(a), encoder.encode(b))
}
