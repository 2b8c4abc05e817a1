import { jwkThumbprint } from './jwk-thumbprint.js'

/** The JWS algorithms `sec keys generate jwk` makes keys for. */
export type JwkAlgorithm = 'ES256' | 'EdDSA' | 'RS256' | 'PS256'

/** The algorithms, in the order help lists them. */
export const jwkAlgorithms: readonly JwkAlgorithm[] = ['ES256', 'EdDSA', 'RS256', 'PS256']

/** A generated key pair as JWKs, each with `kid`, `alg` and `use: 'sig'`. */
export interface GeneratedJwk {
  readonly privateJwk: Readonly<Record<string, unknown>>
  readonly publicJwk: Readonly<Record<string, unknown>>
}

function webCryptoAlgorithm(
  alg: JwkAlgorithm,
  rsaBits: number,
): RsaHashedKeyGenParams | EcKeyGenParams | Algorithm {
  const rsa = { modulusLength: rsaBits, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }
  switch (alg) {
    case 'ES256':
      return { name: 'ECDSA', namedCurve: 'P-256' }
    case 'EdDSA':
      return { name: 'Ed25519' }
    case 'RS256':
      return { name: 'RSASSA-PKCS1-v1_5', ...rsa }
    case 'PS256':
      return { name: 'RSA-PSS', ...rsa }
  }
}

/** The key members of a JWK as Web Crypto exports it, without its `key_ops`, `ext` and `alg`. */
function keyMembers(jwk: JsonWebKey, names: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const name of names) {
    const value = jwk[name as keyof JsonWebKey]
    if (value !== undefined) out[name] = value
  }
  return out
}

const publicNames: Readonly<Record<string, readonly string[]>> = {
  EC: ['kty', 'crv', 'x', 'y'],
  OKP: ['kty', 'crv', 'x'],
  RSA: ['kty', 'n', 'e'],
}
const privateNames: Readonly<Record<string, readonly string[]>> = {
  EC: ['d'],
  OKP: ['d'],
  RSA: ['d', 'p', 'q', 'dp', 'dq', 'qi'],
}

/**
 * Generates a signing key pair with Web Crypto and exports it as JWKs. `kid` defaults to the RFC
 * 7638 thumbprint of the public key.
 */
export async function generateJwk(
  alg: JwkAlgorithm,
  options: { kid?: string; rsaBits: number },
): Promise<GeneratedJwk> {
  const pair = (await crypto.subtle.generateKey(webCryptoAlgorithm(alg, options.rsaBits), true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair
  const exported = await crypto.subtle.exportKey('jwk', pair.privateKey)
  const kty = exported.kty as string
  const publicPart = keyMembers(exported, publicNames[kty] ?? [])
  const kid = options.kid ?? (await jwkThumbprint(publicPart))
  const labels = { kid, alg, use: 'sig' }
  return {
    privateJwk: { ...publicPart, ...keyMembers(exported, privateNames[kty] ?? []), ...labels },
    publicJwk: { ...publicPart, ...labels },
  }
}
