/*
 * CRC-32 (IEEE 802.3, the polynomial of zlib, PNG and GitHub's token checksums), table-driven.
 * Written here rather than taken from a package because core has no dependency for it, the
 * algorithm is twenty lines that never change, and the keys it checks are short ASCII strings:
 * `crc-32` (the usual package) would add a CommonJS dependency for a function this size.
 */

const table = new Uint32Array(256)
for (let n = 0; n < 256; n++) {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  table[n] = c >>> 0
}

/**
 * The CRC-32 of a string's UTF-16 code units taken as bytes; callers pass ASCII only, where this is
 * the CRC-32 of its bytes. Returns an unsigned 32-bit integer.
 */
export function crc32(text: string): number {
  let crc = 0xffffffff
  for (let i = 0; i < text.length; i++) {
    crc = (table[(crc ^ text.charCodeAt(i)) & 0xff] as number) ^ (crc >>> 8)
  }
  return (crc ^ 0xffffffff) >>> 0
}
