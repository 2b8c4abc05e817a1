const encoder = new TextEncoder()

/** Computes HMAC-SHA256 of some bytes with one key. */
export type HmacSha256 = (data: Uint8Array<ArrayBuffer>) => Promise<Uint8Array>

/**
 * An HMAC-SHA256 function over a raw key. The key is imported into Web Crypto on first use, once:
 * factories stay synchronous, and requests share the imported key.
 */
export function hmacSha256(key: Uint8Array<ArrayBuffer>): HmacSha256 {
  let imported: Promise<CryptoKey> | undefined
  return async (data) => {
    imported ??= crypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
    return new Uint8Array(await crypto.subtle.sign('HMAC', await imported, data))
  }
}

/**
 * The bytes a signature covers: an ASCII prefix (`"<id>.<timestamp>."` or `"<t>."`) followed by
 * the payload. A string payload is encoded as UTF-8; bytes are taken exactly as received, so no
 * decoding step can change what was signed.
 */
export function signedContent(prefix: string, payload: string | Uint8Array): Uint8Array<ArrayBuffer> {
  const head = encoder.encode(prefix)
  const body = typeof payload === 'string' ? encoder.encode(payload) : payload
  const content = new Uint8Array(head.byteLength + body.byteLength)
  content.set(head)
  content.set(body, head.byteLength)
  return content
}

/** Standard base64 with padding. */
export function base64Encode(bytes: Uint8Array): string {
  let binary = ''
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary)
}

const hexDigits = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'))

/** Lower-case hexadecimal, as Stripe writes signatures. */
export function hexEncode(bytes: Uint8Array): string {
  let out = ''
  for (const byte of bytes) out += hexDigits[byte]
  return out
}

/** The UTF-8 bytes of a text. */
export function utf8(text: string): Uint8Array {
  return encoder.encode(text)
}
