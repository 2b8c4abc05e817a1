/**
 * The two primitives SigV4 needs, so a runtime can bring a faster implementation: `@sec/node`
 * exports `nodeSigningCrypto` (on `node:crypto`, synchronous). Either method may answer directly
 * or with a promise. Text is hashed as UTF-8.
 */
export interface SigningCrypto {
  /** The lower-case hex SHA-256 of `data`. */
  sha256Hex(data: Uint8Array | string): string | Promise<string>
  /** HMAC-SHA-256 of `data` with `key`: 32 bytes. */
  hmacSha256(key: Uint8Array, data: Uint8Array | string): Uint8Array | Promise<Uint8Array>
  /**
   * The same HMAC as lower-case hex, for the signature itself; optional, for runtimes that make
   * hex faster than bytes (Node's `digest('hex')`). Default: `hmacSha256` then hex in JavaScript.
   */
  hmacSha256Hex?(key: Uint8Array, data: Uint8Array | string): string | Promise<string>
}

const encoder = new TextEncoder()
const hexByte = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'))

/** Lower-case hex of bytes. */
export function toHex(bytes: Uint8Array): string {
  let out = ''
  for (const b of bytes) out += hexByte[b]
  return out
}

function bytesOf(data: Uint8Array | string): Uint8Array<ArrayBuffer> {
  if (typeof data === 'string') return encoder.encode(data)
  return data.buffer instanceof ArrayBuffer ? (data as Uint8Array<ArrayBuffer>) : new Uint8Array(data)
}

/**
 * Imported HMAC keys, by the key bytes' identity: derived signing keys are cached (one array per
 * client secret and day), so each is imported once rather than on every request.
 */
const importedKeys = new WeakMap<Uint8Array, Promise<CryptoKey>>()

function importHmacKey(key: Uint8Array): Promise<CryptoKey> {
  let imported = importedKeys.get(key)
  if (imported === undefined) {
    imported = crypto.subtle.importKey('raw', bytesOf(key), { name: 'HMAC', hash: 'SHA-256' }, false, [
      'sign',
    ])
    importedKeys.set(key, imported)
  }
  return imported
}

/** {@link SigningCrypto} on Web Crypto (`crypto.subtle`): every runtime, the default. */
export const webSigningCrypto: SigningCrypto = {
  async sha256Hex(data) {
    return toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', bytesOf(data))))
  },
  async hmacSha256(key, data) {
    return new Uint8Array(await crypto.subtle.sign('HMAC', await importHmacKey(key), bytesOf(data)))
  },
}

/**
 * The hex HMAC of the final signing step, through {@link SigningCrypto.hmacSha256Hex} when the
 * implementation has it. Answers directly when the implementation does, so a synchronous one
 * (`nodeSigningCrypto`) costs no promise.
 */
export function hmacHex(crypto: SigningCrypto, key: Uint8Array, data: string): string | Promise<string> {
  if (crypto.hmacSha256Hex !== undefined) return crypto.hmacSha256Hex(key, data)
  const mac = crypto.hmacSha256(key, data)
  return mac instanceof Uint8Array ? toHex(mac) : mac.then(toHex)
}
