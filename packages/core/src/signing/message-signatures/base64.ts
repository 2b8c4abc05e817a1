const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
const values = new Int16Array(128).fill(-1)
for (let i = 0; i < alphabet.length; i++) values[alphabet.charCodeAt(i)] = i

/** Standard base64 (RFC 4648 §4) with `=` padding, as RFC 8941 byte sequences use it. */
export function encodeBase64(bytes: Uint8Array): string {
  let out = ''
  const whole = bytes.length - (bytes.length % 3)
  for (let i = 0; i < whole; i += 3) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number)
    out +=
      alphabet.charAt(n >>> 18) +
      alphabet.charAt((n >>> 12) & 63) +
      alphabet.charAt((n >>> 6) & 63) +
      alphabet.charAt(n & 63)
  }
  const rest = bytes.length - whole
  if (rest === 1) {
    const n = (bytes[whole] as number) << 16
    out += `${alphabet.charAt(n >>> 18)}${alphabet.charAt((n >>> 12) & 63)}==`
  } else if (rest === 2) {
    const n = ((bytes[whole] as number) << 16) | ((bytes[whole + 1] as number) << 8)
    out += `${alphabet.charAt(n >>> 18)}${alphabet.charAt((n >>> 12) & 63)}${alphabet.charAt((n >>> 6) & 63)}=`
  }
  return out
}

/**
 * Decodes standard base64, or returns `undefined` when `text` is not base64. Padding may be left
 * out and unused bits may be set, as RFC 8941 §3.3.5 asks parsers to tolerate; `=` anywhere but at
 * the end, a character outside the alphabet, or a length no encoding produces is refused.
 */
export function decodeBase64(text: string): Uint8Array<ArrayBuffer> | undefined {
  let end = text.length
  if (end % 4 === 0 && end > 0 && text.charCodeAt(end - 1) === 61)
    end -= text.charCodeAt(end - 2) === 61 ? 2 : 1
  if (end % 4 === 1) return undefined
  const out = new Uint8Array(Math.floor((end * 3) / 4))
  let buffer = 0
  let bits = 0
  let o = 0
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i)
    const v = c < 128 ? (values[c] as number) : -1
    if (v < 0) return undefined
    buffer = ((buffer << 6) | v) & 0xffffff
    bits += 6
    if (bits >= 8) {
      bits -= 8
      out[o++] = (buffer >>> bits) & 0xff
    }
  }
  return out
}
