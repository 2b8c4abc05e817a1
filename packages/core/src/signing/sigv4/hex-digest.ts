const encoder = new TextEncoder()

/** The bytes of the strings checked or compared last: only ever used within one synchronous call. */
const first = new Uint8Array(64)
const second = new Uint8Array(64)

/** 1 for the bytes of `0-9a-f`, 0 for every other byte. */
const lowerHex = new Uint8Array(256)
for (const c of '0123456789abcdef') lowerHex[c.charCodeAt(0)] = 1

/**
 * Copies `value` into `into` as bytes when it is exactly 64 ASCII characters; `false` otherwise.
 * The engine's own encoder does the copy, and reading bytes costs a fraction of reading
 * characters, so the loops below stay cheap on the hot path.
 */
function asciiBytes(value: string, into: Uint8Array): boolean {
  if (value.length !== 64) return false
  const { read, written } = encoder.encodeInto(value, into)
  return read === 64 && written === 64
}

/** Whether `value` is a hex SHA-256 digest: exactly 64 lower-case hex digits. */
export function isHexDigest(value: string): boolean {
  if (!asciiBytes(value, first)) return false
  let valid = 1
  for (let i = 0; i < 64; i++) valid &= lowerHex[first[i] as number] as number
  return valid === 1
}

/**
 * Whether two hex strings are equal, comparing every character with no early exit: constant time
 * for a given length. Digests (64 ASCII characters each) are compared as bytes, which is cheaper.
 */
export function hexEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false
  let difference = 0
  if (asciiBytes(a, first) && asciiBytes(b, second)) {
    for (let i = 0; i < 64; i++) difference |= (first[i] as number) ^ (second[i] as number)
    return difference === 0
  }
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i)
  return difference === 0
}
