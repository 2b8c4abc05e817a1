import { describe, expect, it } from 'vitest'
import { SecConfigError } from '../../errors/index.js'
import { encodeBase64 } from './base64.js'
import { algorithmOfKey, keyAlgorithmFor, UnsupportedSignatureKeyError } from './signature-algorithms.js'
import { importMessageSignatureKey } from './signature-keys.js'

function pem(label: string, bytes: ArrayBuffer): string {
  const lines = encodeBase64(new Uint8Array(bytes)).match(/.{1,64}/g) ?? []
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`
}

async function configErrorOf(promise: Promise<unknown>): Promise<SecConfigError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(SecConfigError)
  return error as SecConfigError
}

describe('importMessageSignatureKey', () => {
  it('imports PEM, JWK and raw material for each algorithm, non-extractable', async () => {
    const ec = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
      'sign',
      'verify',
    ])) as CryptoKeyPair
    const rsa = (await crypto.subtle.generateKey(
      { name: 'RSA-PSS', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-512' },
      true,
      ['sign', 'verify'],
    )) as CryptoKeyPair
    const ed = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, [
      'sign',
      'verify',
    ])) as CryptoKeyPair
    const imported = [
      await importMessageSignatureKey(
        'ecdsa-p256-sha256',
        pem('PRIVATE KEY', await crypto.subtle.exportKey('pkcs8', ec.privateKey)),
        'sign',
      ),
      await importMessageSignatureKey(
        'ecdsa-p256-sha256',
        pem('PUBLIC KEY', await crypto.subtle.exportKey('spki', ec.publicKey)),
        'verify',
      ),
      await importMessageSignatureKey(
        'ecdsa-p256-sha256',
        new Uint8Array(await crypto.subtle.exportKey('raw', ec.publicKey)),
        'verify',
      ),
      await importMessageSignatureKey(
        'rsa-pss-sha512',
        await crypto.subtle.exportKey('jwk', rsa.privateKey),
        'sign',
      ),
      await importMessageSignatureKey(
        'rsa-pss-sha512',
        await crypto.subtle.exportKey('jwk', rsa.publicKey),
        'verify',
      ),
      await importMessageSignatureKey(
        'ed25519',
        new Uint8Array(await crypto.subtle.exportKey('raw', ed.publicKey)),
        'verify',
      ),
      await importMessageSignatureKey('ed25519', await crypto.subtle.exportKey('jwk', ed.privateKey), 'sign'),
      await importMessageSignatureKey('hmac-sha256', { kty: 'oct', k: 'a'.repeat(43) }, 'verify'),
    ]
    expect(imported.map((key) => [algorithmOfKey(key), key.usages, key.extractable])).toEqual([
      ['ecdsa-p256-sha256', ['sign'], false],
      ['ecdsa-p256-sha256', ['verify'], false],
      ['ecdsa-p256-sha256', ['verify'], false],
      ['rsa-pss-sha512', ['sign'], false],
      ['rsa-pss-sha512', ['verify'], false],
      ['ed25519', ['verify'], false],
      ['ed25519', ['sign'], false],
      ['hmac-sha256', ['verify'], false],
    ])
  })

  it('refuses material that does not fit, naming the option', async () => {
    const ed = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, [
      'sign',
      'verify',
    ])) as CryptoKeyPair
    const privatePem = pem('PRIVATE KEY', await crypto.subtle.exportKey('pkcs8', ed.privateKey))
    const publicPem = pem('PUBLIC KEY', await crypto.subtle.exportKey('spki', ed.publicKey))
    const weakRsa = (await crypto.subtle.generateKey(
      { name: 'RSA-PSS', modulusLength: 1024, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-512' },
      true,
      ['sign', 'verify'],
    )) as CryptoKeyPair
    const cases: Promise<unknown>[] = [
      importMessageSignatureKey('hmac-sha256', new Uint8Array(16), 'sign'),
      importMessageSignatureKey('hmac-sha256', { kty: 'oct', k: 'AAAA' }, 'sign'),
      importMessageSignatureKey('ed25519', privatePem, 'verify'),
      importMessageSignatureKey('ed25519', publicPem, 'sign'),
      importMessageSignatureKey(
        'ed25519',
        privatePem.replace('PRIVATE KEY', 'EC PRIVATE KEY').replace('PRIVATE KEY', 'EC PRIVATE KEY'),
        'sign',
      ),
      importMessageSignatureKey('ed25519', 'not a pem', 'sign'),
      importMessageSignatureKey('ecdsa-p256-sha256', privatePem, 'sign'),
      importMessageSignatureKey('ed25519', new Uint8Array(32), 'sign'),
      importMessageSignatureKey(
        'rsa-pss-sha512',
        await crypto.subtle.exportKey('jwk', weakRsa.publicKey),
        'verify',
      ),
    ]
    for (const promise of cases)
      expect((await configErrorOf(promise)).path).toBe('importMessageSignatureKey.material')
    expect(
      (await configErrorOf(importMessageSignatureKey('rsa-v1_5-sha256' as 'ed25519', publicPem, 'verify')))
        .path,
    ).toBe('importMessageSignatureKey.algorithm')
    expect(
      (await configErrorOf(importMessageSignatureKey('ed25519', publicPem, 'both' as 'verify'))).path,
    ).toBe('importMessageSignatureKey.usage')
  })
})

describe('key algorithms', () => {
  it('knows each key by its own parameters and refuses others', async () => {
    const hmac512 = await crypto.subtle.importKey(
      'raw',
      new Uint8Array(64),
      { name: 'HMAC', hash: 'SHA-512' },
      false,
      ['sign'],
    )
    const pkcs1 = (await crypto.subtle.generateKey(
      {
        name: 'RSASSA-PKCS1-v1_5',
        modulusLength: 2048,
        publicExponent: new Uint8Array([1, 0, 1]),
        hash: 'SHA-256',
      },
      false,
      ['sign', 'verify'],
    )) as CryptoKeyPair
    expect(algorithmOfKey(hmac512)).toBeUndefined()
    expect(algorithmOfKey(pkcs1.privateKey)).toBeUndefined()
    expect(() => keyAlgorithmFor(hmac512, 'sign')).toThrow(UnsupportedSignatureKeyError)
    const ed = (await crypto.subtle.generateKey({ name: 'Ed25519' }, false, [
      'sign',
      'verify',
    ])) as CryptoKeyPair
    expect(keyAlgorithmFor(ed.publicKey, 'verify')).toBe('ed25519')
    expect(() => keyAlgorithmFor(ed.publicKey, 'sign')).toThrow(UnsupportedSignatureKeyError)
  })
})
