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

/** The signing key a secret used last, and what it was derived for. */
interface LatestKey {
  /** The key's entry in the cache: the key counts only while the cache still holds it. */
  readonly id: string
  readonly date: string
  readonly region: string
  readonly service: string
  readonly key: Uint8Array
}

/** The next HMAC of a chain: right away when `key` and the HMAC are synchronous, else once both settle. */
function chain(
  crypto: SigningCrypto,
  key: Uint8Array | Promise<Uint8Array>,
  data: string,
): Uint8Array | Promise<Uint8Array> {
  return key instanceof Uint8Array
    ? crypto.hmacSha256(key, data)
    : key.then((settled) => crypto.hmacSha256(settled, data))
}

/**
 * The SigV4 key derivation, `HMAC(HMAC(HMAC(HMAC(prefix + secret, date), region), service),
 * terminator)`, with a small bounded cache: a key serves every request of its day, so four HMACs
 * per request become none. Concurrent first uses share one derivation. With a synchronous
 * {@link SigningCrypto} a key is derived and cached on the spot, and every answer is the key itself.
 */
export function signingKeyCache(crypto: SigningCrypto, rules: SigningKeyRules): SigningKeyCache {
  const { keyPrefix, terminator, maxEntries } = rules
  const cache = new Map<string, Uint8Array | Promise<Uint8Array>>()
  // The key each secret used last: requests of one client share it all day, and finding it this
  // way builds no string (the engine keeps the hash of the secret and of the stored id).
  const latest = new Map<string, LatestKey>()

  function remember(secret: string, key: LatestKey): void {
    if (!latest.has(secret) && latest.size >= maxEntries) latest.delete(latest.keys().next().value as string)
    latest.set(secret, key)
  }

  function derive(
    secret: string,
    date: string,
    region: string,
    service: string,
  ): Uint8Array | Promise<Uint8Array> {
    const kDate = crypto.hmacSha256(encoder.encode(keyPrefix + secret), date)
    return chain(crypto, chain(crypto, chain(crypto, kDate, region), service), terminator)
  }

  return {
    key(secret, date, region, service) {
      const last = latest.get(secret)
      if (
        last !== undefined &&
        last.date === date &&
        last.region === region &&
        last.service === service &&
        cache.get(last.id) === last.key
      )
        return last.key
      const id = `${date}/${region}/${service}/${secret}`
      const cached = cache.get(id)
      if (cached instanceof Uint8Array) remember(secret, { id, date, region, service, key: cached })
      if (cached !== undefined) return cached
      if (cache.size >= maxEntries) cache.delete(cache.keys().next().value as string)
      let derived: Uint8Array | Promise<Uint8Array>
      try {
        derived = derive(secret, date, region, service)
      } catch (error) {
        return Promise.reject(error)
      }
      cache.set(id, derived)
      if (derived instanceof Uint8Array) {
        remember(secret, { id, date, region, service, key: derived })
        return derived
      }
      const pending = derived
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
