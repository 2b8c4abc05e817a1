/** 1 for the character codes of `0-9a-f`, 0 for every other code below 128. */
const lowerHex = new Uint8Array(128)
for (const c of '0123456789abcdef') lowerHex[c.charCodeAt(0)] = 1

/**
 * Whether `value` is a hex SHA-256 digest: exactly 64 lower-case hex digits. With `at`, whether
 * its last 64 characters, from `at`, are one: a verifier checks the signature at the end of an
 * `Authorization` header where it stands, without cutting it out first.
 */
export function isHexDigest(value: string, at = 0): boolean {
  if (value.length - at !== 64 || at < 0) return false
  let valid = 1
  for (let i = at; i < value.length; i++) {
    const c = value.charCodeAt(i)
    valid &= c < 128 ? (lowerHex[c] as number) : 0
  }
  return valid === 1
}

/**
 * Whether `expected` equals `value`, or with `at` the end of `value` from `at`
 * (`value.slice(at)`), comparing every character with no early exit: constant time for a given
 * length. The slice is never made, so a signature is compared where it stands in its header.
 */
export function hexEqual(expected: string, value: string, at = 0): boolean {
  if (value.length - at !== expected.length || at < 0) return false
  let difference = 0
  for (let i = 0; i < expected.length; i++) difference |= expected.charCodeAt(i) ^ value.charCodeAt(at + i)
  return difference === 0
}
