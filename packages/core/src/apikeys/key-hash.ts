/**
 * How a key is stored: HMAC-SHA-256 keyed with a server-side pepper, or SHA-256 without one.
 *
 * A slow password hash (scrypt, Argon2, bcrypt) exists to make guessing low-entropy secrets
 * expensive. A key carries 131 random bits: with a leaked table, an attacker must still try about
 * 2^130 candidates per key, which no hash speed makes feasible, so a fast hash loses nothing and
 * keeps each request at microseconds instead of tens of milliseconds. The pepper, kept outside the
 * database, adds that a stolen table alone cannot even confirm a guess.
 */
export interface ApiKeyHasher {
  /** `hmac-sha256` with a pepper, `sha256` without. */
  readonly algorithm: 'hmac-sha256' | 'sha256'
  /** The hex digest of a key (64 characters). */
  hash(key: string): Promise<string>
}

const hex = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'))
const encoder = new TextEncoder()

function toHex(buffer: ArrayBuffer): string {
  let out = ''
  for (const byte of new Uint8Array(buffer)) out += hex[byte]
  return out
}

/** The hasher for a pepper (bytes or a string taken as UTF-8), or plain SHA-256 without one. */
export function createApiKeyHasher(pepper?: Uint8Array | string): ApiKeyHasher {
  if (pepper === undefined) {
    return {
      algorithm: 'sha256',
      hash: async (key) => toHex(await crypto.subtle.digest('SHA-256', encoder.encode(key))),
    }
  }
  const raw = typeof pepper === 'string' ? encoder.encode(pepper) : Uint8Array.from(pepper)
  // Imported once, on first use, and not extractable: the pepper never leaves Web Crypto again.
  let imported: Promise<CryptoKey> | undefined
  const keyOf = () => {
    imported ??= crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
    return imported
  }
  return {
    algorithm: 'hmac-sha256',
    hash: async (key) => toHex(await crypto.subtle.sign('HMAC', await keyOf(), encoder.encode(key))),
  }
}

/**
 * Compares two digests in time independent of where they differ: every character is visited, and
 * only the length (public: every digest has 64) can end it early.
 */
export function digestsEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i)
  return diff === 0
}
