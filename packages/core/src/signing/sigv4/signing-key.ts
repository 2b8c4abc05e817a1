import type { SigningCrypto } from './signing-crypto.js'

const encoder = new TextEncoder()

/** Derives SigV4 signing keys, and keeps the recent ones. */
export interface SigningKeyCache {
  /** The signing key of a secret for one day (`YYYYMMDD`), region and service. */
  key(secret: string, date: string, region: string, service: string): Uint8Array | Promise<Uint8Array>
}

/** What the key derivation is parameterized by. */
export interface SigningKeyRules {
  /** Prepended to the secret for the first HMAC: `AWS4`. */
  readonly keyPrefix: string
  /** The last HMAC input and scope element: `aws4_request`. */
  readonly terminator: string
  /** The most keys kept; the oldest is dropped first. */
  readonly maxEntries: number
}

/**
 * The SigV4 key derivation, `HMAC(HMAC(HMAC(HMAC(prefix + secret, date), region), service),
 * terminator)`, with a small bounded cache: a key serves every request of its day, so four HMACs
 * per request become none. Concurrent first uses share one derivation.
 */
export function signingKeyCache(crypto: SigningCrypto, rules: SigningKeyRules): SigningKeyCache {
  const { keyPrefix, terminator, maxEntries } = rules
  const cache = new Map<string, Uint8Array | Promise<Uint8Array>>()

  async function derive(secret: string, date: string, region: string, service: string): Promise<Uint8Array> {
    const kDate = await crypto.hmacSha256(encoder.encode(keyPrefix + secret), date)
    const kRegion = await crypto.hmacSha256(kDate, region)
    const kService = await crypto.hmacSha256(kRegion, service)
    return crypto.hmacSha256(kService, terminator)
  }

  return {
    key(secret, date, region, service) {
      const id = `${date}/${region}/${service}/${secret}`
      const cached = cache.get(id)
      if (cached !== undefined) return cached
      if (cache.size >= maxEntries) cache.delete(cache.keys().next().value as string)
      const pending = derive(secret, date, region, service)
      cache.set(id, pending)
      pending.then(
        (key) => {
          if (cache.get(id) === pending) cache.set(id, key)
        },
        () => {
          if (cache.get(id) === pending) cache.delete(id)
        },
      )
      return pending
    },
  }
}
