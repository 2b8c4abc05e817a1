import type { MessageSignatureAlgorithm } from './signature-algorithms.js'
import { importMessageSignatureKey } from './signature-keys.js'

/**
 * Keys of every algorithm for the tests: a signing key and the matching verification key. Only
 * test files import this module.
 */
export interface TestKeyPair {
  readonly algorithm: MessageSignatureAlgorithm
  readonly keyId: string
  readonly signKey: CryptoKey
  readonly verifyKey: CryptoKey
}

async function generatePair(params: EcKeyGenParams | RsaHashedKeyGenParams | AlgorithmIdentifier) {
  return (await crypto.subtle.generateKey(params, false, ['sign', 'verify'])) as CryptoKeyPair
}

/** Creates one key pair per algorithm (the RSA one takes a moment). */
export async function createTestKeys(): Promise<Readonly<Record<MessageSignatureAlgorithm, TestKeyPair>>> {
  const secret = crypto.getRandomValues(new Uint8Array(32))
  const [ed, ec, rsa] = await Promise.all([
    generatePair({ name: 'Ed25519' }),
    generatePair({ name: 'ECDSA', namedCurve: 'P-256' }),
    generatePair({
      name: 'RSA-PSS',
      modulusLength: 2048,
      publicExponent: new Uint8Array([1, 0, 1]),
      hash: 'SHA-512',
    }),
  ])
  return {
    'hmac-sha256': {
      algorithm: 'hmac-sha256',
      keyId: 'k-hmac-sha256',
      signKey: await importMessageSignatureKey('hmac-sha256', secret, 'sign'),
      verifyKey: await importMessageSignatureKey('hmac-sha256', secret, 'verify'),
    },
    ed25519: { algorithm: 'ed25519', keyId: 'k-ed25519', signKey: ed.privateKey, verifyKey: ed.publicKey },
    'ecdsa-p256-sha256': {
      algorithm: 'ecdsa-p256-sha256',
      keyId: 'k-ecdsa-p256-sha256',
      signKey: ec.privateKey,
      verifyKey: ec.publicKey,
    },
    'rsa-pss-sha512': {
      algorithm: 'rsa-pss-sha512',
      keyId: 'k-rsa-pss-sha512',
      signKey: rsa.privateKey,
      verifyKey: rsa.publicKey,
    },
  }
}
