import { configError } from '../../config/index.js'
import { SecConfigError } from '../../errors/index.js'
import { decodeBase64 } from './base64.js'
import {
  isMessageSignatureAlgorithm,
  keyAlgorithmFor,
  type MessageSignatureAlgorithm,
} from './signature-algorithms.js'

/**
 * Key material {@link importMessageSignatureKey} accepts:
 * - a PEM string: `PRIVATE KEY` (PKCS #8) to sign, `PUBLIC KEY` (SubjectPublicKeyInfo) to verify;
 * - a JWK object;
 * - bytes: the shared secret for `hmac-sha256`; to verify only, a raw Ed25519 public key (32 bytes)
 *   or a raw uncompressed P-256 point (65 bytes).
 */
export type MessageSignatureKeyMaterial = string | JsonWebKey | Uint8Array

/** The shortest HMAC secret accepted, in bytes: as long as the SHA-256 output (RFC 2104 §3). */
export const minHmacSecretLength = 32

const importParams: Readonly<
  Record<
    MessageSignatureAlgorithm,
    AlgorithmIdentifier | RsaHashedImportParams | EcKeyImportParams | HmacImportParams
  >
> = {
  'hmac-sha256': { name: 'HMAC', hash: 'SHA-256' },
  ed25519: { name: 'Ed25519' },
  'ecdsa-p256-sha256': { name: 'ECDSA', namedCurve: 'P-256' },
  'rsa-pss-sha512': { name: 'RSA-PSS', hash: 'SHA-512' },
}

const pemPattern = /^\s*-----BEGIN ([A-Z ]+)-----\r?\n([A-Za-z0-9+/=\r\n]+)-----END \1-----\s*$/

function pemBytes(
  where: string,
  pem: string,
  usage: 'sign' | 'verify',
): { format: 'pkcs8' | 'spki'; bytes: Uint8Array<ArrayBuffer> } {
  const match = pemPattern.exec(pem)
  const label = match?.[1]
  const bytes = match?.[2] === undefined ? undefined : decodeBase64(match[2].replace(/\r?\n/g, ''))
  if (bytes === undefined || (label !== 'PRIVATE KEY' && label !== 'PUBLIC KEY'))
    return configError(
      where,
      "is not a PEM key this accepts: expected '-----BEGIN PRIVATE KEY-----' (PKCS #8) or '-----BEGIN PUBLIC KEY-----' (SPKI); convert an 'RSA PRIVATE KEY' or 'EC PRIVATE KEY' with `openssl pkcs8 -topk8 -nocrypt`.",
    )
  const format = label === 'PRIVATE KEY' ? 'pkcs8' : 'spki'
  if ((format === 'pkcs8') !== (usage === 'sign'))
    return configError(
      where,
      usage === 'sign'
        ? 'is a public key, which cannot sign: give the PRIVATE KEY.'
        : 'is a private key: give the PUBLIC KEY to verify (Web Crypto verifies with public keys only).',
    )
  return { format, bytes }
}

/**
 * Imports key material for one RFC 9421 algorithm as a non-extractable Web Crypto key that can
 * `sign` or `verify`. Call it once at start-up and keep the key.
 *
 * Throws a `SecConfigError` naming `importMessageSignatureKey.material` when the material does
 * not fit the algorithm (an HMAC secret under {@link minHmacSecretLength} bytes, an RSA key under
 * 2048 bits, a PEM of another kind).
 *
 * @example
 * const secret = await importMessageSignatureKey('hmac-sha256', secretBytes, 'sign')
 * const publicKey = await importMessageSignatureKey('ed25519', publicPem, 'verify')
 */
export async function importMessageSignatureKey(
  algorithm: MessageSignatureAlgorithm,
  material: MessageSignatureKeyMaterial,
  usage: 'sign' | 'verify',
): Promise<CryptoKey> {
  const where = 'importMessageSignatureKey.material'
  if (!isMessageSignatureAlgorithm(algorithm))
    configError(
      'importMessageSignatureKey.algorithm',
      `must be one of hmac-sha256, ed25519, ecdsa-p256-sha256, rsa-pss-sha512; got ${JSON.stringify(algorithm)}.`,
    )
  if (usage !== 'sign' && usage !== 'verify')
    configError(
      'importMessageSignatureKey.usage',
      `must be 'sign' or 'verify'; got ${JSON.stringify(usage)}.`,
    )
  const params = importParams[algorithm]
  const usages: KeyUsage[] = [usage]
  let key: CryptoKey
  try {
    if (typeof material === 'string') {
      const { format, bytes } = pemBytes(where, material, usage)
      key = await crypto.subtle.importKey(format, bytes, params, false, usages)
    } else if (material instanceof Uint8Array) {
      if (algorithm === 'hmac-sha256' && material.length < minHmacSecretLength)
        configError(
          where,
          `is a ${material.length}-byte secret: use at least ${minHmacSecretLength} random bytes.`,
        )
      if (algorithm === 'rsa-pss-sha512' || (algorithm !== 'hmac-sha256' && usage === 'sign'))
        configError(
          where,
          `cannot be raw bytes for a ${algorithm} key that must ${usage}: give a PEM or a JWK.`,
        )
      key = await crypto.subtle.importKey('raw', new Uint8Array(material), params, false, usages)
    } else if (typeof material === 'object' && material !== null) {
      key = await crypto.subtle.importKey('jwk', material, params, false, usages)
    } else {
      return configError(where, 'must be a PEM string, a JWK object or a Uint8Array.')
    }
  } catch (error) {
    if (error instanceof SecConfigError) throw error
    return configError(
      where,
      `cannot be imported as a ${algorithm} key to ${usage}: ${error instanceof Error ? error.message : String(error)}.`,
    )
  }
  try {
    keyAlgorithmFor(key, usage)
  } catch (error) {
    return configError(where, (error as Error).message)
  }
  if (algorithm === 'hmac-sha256' && typeof material === 'object' && !(material instanceof Uint8Array)) {
    const length = (key.algorithm as HmacKeyAlgorithm).length
    if (length < minHmacSecretLength * 8)
      configError(where, `is a ${length / 8}-byte secret: use at least ${minHmacSecretLength} random bytes.`)
  }
  return key
}
