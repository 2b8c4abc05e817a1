import {
  createLocalJWKSet,
  createRemoteJWKSet,
  type JSONWebKeySet,
  type JWTVerifyGetKey,
  errors as joseErrors,
} from 'jose'
import { KeySourceUnavailableError } from './token-errors.js'

/** Where a verifier gets its keys, after its options were checked. */
export type KeySource =
  | { readonly kind: 'local'; readonly keys: JSONWebKeySet }
  | {
      readonly kind: 'remote'
      readonly url: URL
      /** ms a fetch may take before it is abandoned. */
      readonly timeout: number
      /** ms after a fetch during which an unknown `kid` does not trigger another one. */
      readonly cooldown: number
      /** ms a fetched key set is used before it is fetched again. */
      readonly cacheMaxAge: number
    }
  | { readonly kind: 'secret'; readonly secret: Uint8Array }

/** The key argument given to jose's `jwtVerify`: picks the key for each token's header. */
export type KeyResolver = JWTVerifyGetKey

// Errors a key set raises about the token (its kid or alg), as opposed to about the key set itself.
const tokenErrorCodes = new Set([
  joseErrors.JWKSNoMatchingKey.code,
  joseErrors.JWKSMultipleMatchingKeys.code,
  joseErrors.JOSENotSupported.code,
])

function isTokenError(error: unknown): boolean {
  return error instanceof joseErrors.JOSEError && tokenErrorCodes.has(error.code)
}

/**
 * Builds the key resolver for a {@link KeySource}:
 * - a local set goes through jose's `createLocalJWKSet` (key selection by `kid`, `alg`, `kty`,
 *   `use`, `key_ops`, several keys for rotation, each key imported once);
 * - a remote set through jose's `createRemoteJWKSet`, which caches the set, refetches it after
 *   `cacheMaxAge` or when a `kid` is unknown (at most once per `cooldown`), and never follows a
 *   redirect. A fetch that fails, times out or returns no key set becomes a
 *   {@link KeySourceUnavailableError}: a server problem, not a bad token;
 * - a symmetric secret is imported once as an HMAC SHA-256 verification key.
 *
 * Keys only ever come from here: a token's `jku`, `x5u`, `x5c` or embedded `jwk` header is never
 * looked at.
 */
export function createKeyResolver(source: KeySource): KeyResolver {
  if (source.kind === 'local') return createLocalJWKSet(source.keys)
  if (source.kind === 'secret') {
    let key: Promise<CryptoKey> | undefined
    const secret = source.secret
    return () => {
      key ??= crypto.subtle.importKey(
        'raw',
        secret as Uint8Array<ArrayBuffer>,
        { name: 'HMAC', hash: 'SHA-256' },
        false,
        ['verify'],
      )
      return key
    }
  }
  const remote = createRemoteJWKSet(source.url, {
    timeoutDuration: source.timeout,
    cooldownDuration: source.cooldown,
    cacheMaxAge: source.cacheMaxAge,
  })
  const origin = source.url.origin
  return async (header, token) => {
    try {
      return await remote(header, token)
    } catch (error) {
      if (isTokenError(error)) throw error
      throw new KeySourceUnavailableError(`The key set at ${origin} could not be loaded.`, { cause: error })
    }
  }
}
