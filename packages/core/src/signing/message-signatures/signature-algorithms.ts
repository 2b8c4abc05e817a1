import { SecError } from '../../errors/index.js'

/**
 * The RFC 9421 algorithms supported (§3.3 and the HTTP Signature Algorithms registry):
 * - `hmac-sha256`: HMAC with SHA-256 and a shared secret (32-byte signatures);
 * - `ed25519`: EdDSA over Curve25519 (64-byte signatures);
 * - `ecdsa-p256-sha256`: ECDSA on P-256 with SHA-256, the signature as raw `r || s` (64 bytes);
 * - `rsa-pss-sha512`: RSASSA-PSS with SHA-512, MGF1 SHA-512 and a 64-byte salt.
 */
export type MessageSignatureAlgorithm = 'hmac-sha256' | 'ed25519' | 'ecdsa-p256-sha256' | 'rsa-pss-sha512'

/** Every {@link MessageSignatureAlgorithm}, in the order of the list above. */
export const messageSignatureAlgorithms: readonly MessageSignatureAlgorithm[] = [
  'hmac-sha256',
  'ed25519',
  'ecdsa-p256-sha256',
  'rsa-pss-sha512',
]

/** The smallest RSA modulus accepted, in bits. */
export const minRsaModulusLength = 2048

const webCryptoParams: Readonly<
  Record<MessageSignatureAlgorithm, AlgorithmIdentifier | EcdsaParams | RsaPssParams>
> = {
  'hmac-sha256': { name: 'HMAC' },
  ed25519: { name: 'Ed25519' },
  'ecdsa-p256-sha256': { name: 'ECDSA', hash: 'SHA-256' },
  'rsa-pss-sha512': { name: 'RSA-PSS', saltLength: 64 },
}

/** Thrown when a key cannot sign or verify RFC 9421 signatures: a wrong type, curve, hash, size or usage. */
export class UnsupportedSignatureKeyError extends SecError {
  constructor(message: string) {
    super('SEC_SIGNATURE_KEY', message)
  }
}

/** Whether `value` is a {@link MessageSignatureAlgorithm}. */
export function isMessageSignatureAlgorithm(value: unknown): value is MessageSignatureAlgorithm {
  return (messageSignatureAlgorithms as readonly unknown[]).includes(value)
}

function hashName(algorithm: KeyAlgorithm): string | undefined {
  const hash = (algorithm as { hash?: { name?: unknown } }).hash
  return typeof hash?.name === 'string' ? hash.name : undefined
}

/**
 * The algorithm a Web Crypto key signs with, from the key itself: an HMAC key with SHA-256, an
 * Ed25519 key, an ECDSA P-256 key, or an RSA-PSS key with SHA-512 of at least
 * {@link minRsaModulusLength} bits. `undefined` for any other key.
 */
export function algorithmOfKey(key: CryptoKey): MessageSignatureAlgorithm | undefined {
  const algorithm = key.algorithm
  switch (algorithm.name) {
    case 'HMAC':
      return hashName(algorithm) === 'SHA-256' ? 'hmac-sha256' : undefined
    case 'Ed25519':
      return 'ed25519'
    case 'ECDSA':
      return (algorithm as EcKeyAlgorithm).namedCurve === 'P-256' ? 'ecdsa-p256-sha256' : undefined
    case 'RSA-PSS':
      return hashName(algorithm) === 'SHA-512' &&
        (algorithm as RsaHashedKeyAlgorithm).modulusLength >= minRsaModulusLength
        ? 'rsa-pss-sha512'
        : undefined
    default:
      return undefined
  }
}

/** Whether `value` looks like a Web Crypto `CryptoKey` (checked by shape, so keys of another realm pass). */
export function isCryptoKey(value: unknown): value is CryptoKey {
  const key = value as CryptoKey | null
  return (
    typeof key === 'object' &&
    key !== null &&
    typeof key.type === 'string' &&
    typeof key.algorithm?.name === 'string' &&
    Array.isArray(key.usages)
  )
}

/**
 * The algorithm of a key that must `sign` or `verify`; throws {@link UnsupportedSignatureKeyError}
 * when the key is of no supported algorithm, lacks the usage, or (for verification) is a private key.
 */
export function keyAlgorithmFor(key: CryptoKey, usage: 'sign' | 'verify'): MessageSignatureAlgorithm {
  const algorithm = algorithmOfKey(key)
  if (algorithm === undefined)
    throw new UnsupportedSignatureKeyError(
      `A ${key.algorithm.name} key of these parameters signs with no RFC 9421 algorithm: use an HMAC SHA-256 secret, an Ed25519 key, an ECDSA P-256 key, or an RSA-PSS SHA-512 key of at least ${minRsaModulusLength} bits.`,
    )
  if (!key.usages.includes(usage))
    throw new UnsupportedSignatureKeyError(
      `The ${algorithm} key was imported without the '${usage}' usage: import it with ['${usage}'].`,
    )
  return algorithm
}

/** Signs `data` with `key` (whose algorithm the caller checked). */
export async function signBytes(
  algorithm: MessageSignatureAlgorithm,
  key: CryptoKey,
  data: Uint8Array<ArrayBuffer>,
): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await crypto.subtle.sign(webCryptoParams[algorithm], key, data))
}

/** Verifies `signature` over `data`; HMAC is compared by Web Crypto in constant time. */
export function verifyBytes(
  algorithm: MessageSignatureAlgorithm,
  key: CryptoKey,
  signature: Uint8Array<ArrayBuffer>,
  data: Uint8Array<ArrayBuffer>,
): Promise<boolean> {
  return crypto.subtle.verify(webCryptoParams[algorithm], key, signature, data)
}
