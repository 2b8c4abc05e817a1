import { exportJWK, importJWK, type JWK } from 'jose'
import { configError } from '../config/index.js'
import { SecError } from '../errors/index.js'

/** The algorithms an issuer signs with: ECDSA P-256 and Ed25519, both small and fast to verify. */
export type SigningAlgorithm = 'ES256' | 'EdDSA'

/**
 * One key of an issuer's schedule. Keys are listed in any order; at each moment the key with the
 * latest `notBefore` that has passed signs. A key whose `notBefore` is still ahead is already
 * published in the JWKS, so verifiers know it before the first token it signs; a key replaced by a
 * newer one stays published until every token it signed has expired.
 */
export interface SigningKey {
  /**
   * The key: a `CryptoKeyPair` (e.g. from jose's `generateKeyPair('ES256')`; the public key must be
   * extractable, which is the default there) or a private JWK (an EC P-256 or OKP Ed25519 key with
   * its `d`), e.g. parsed from a secret store.
   */
  readonly key: CryptoKeyPair | JWK
  /**
   * The key id written in each token's header and in the JWKS: 1 to 128 characters of letters,
   * digits, `-`, `_` and `.`, unique in the schedule.
   */
  readonly kid: string
  /** From when the key signs, in ms since the epoch or as a `Date`. Default: `0` (signs from the start). */
  readonly notBefore?: number | Date
}

/** A key of the schedule, checked, with the times it signs and is published. */
export interface ScheduledKey {
  readonly kid: string
  readonly alg: SigningAlgorithm
  /** ms since the epoch. */
  readonly notBefore: number
  /** When the next key takes over, ms since the epoch (`Infinity` for the last one). */
  readonly retiresAt: number
  /** The private key, imported on first use. */
  privateKey(): Promise<CryptoKey | Uint8Array>
  /** The public JWK as published (`kty`, `crv`, `x`, `y`, `kid`, `alg`, `use`). */
  publicJwk(): Promise<JWK>
}

/** Thrown when a token should be signed but no key of the schedule has reached its `notBefore`. */
export class NoSigningKeyError extends SecError {
  constructor() {
    super(
      'SEC_NO_SIGNING_KEY',
      'No signing key is valid yet: give at least one key of signingKeys a notBefore in the past.',
    )
  }
}

const kidPattern = /^[A-Za-z0-9._-]{1,128}$/
const publicMembers: Readonly<Record<string, readonly string[]>> = {
  EC: ['kty', 'crv', 'x', 'y'],
  OKP: ['kty', 'crv', 'x'],
}

function pickPublic(jwk: JWK): JWK {
  const out: Record<string, unknown> = {}
  for (const name of publicMembers[jwk.kty as string] ?? []) out[name] = jwk[name as keyof JWK]
  return out as JWK
}

function algorithmOfJwk(path: string, jwk: JWK): SigningAlgorithm {
  if (jwk.kty === 'EC' && jwk.crv === 'P-256') {
    if (typeof jwk.x !== 'string' || typeof jwk.y !== 'string')
      configError(path, 'is an EC key without its public x and y.')
  } else if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') {
    if (typeof jwk.x !== 'string') configError(path, 'is an Ed25519 key without its public x.')
  } else {
    configError(
      path,
      `is a ${String(jwk.kty)} key${jwk.crv === undefined ? '' : ` on ${String(jwk.crv)}`}: only EC P-256 (ES256) and OKP Ed25519 (EdDSA) keys sign access tokens.`,
    )
  }
  if (typeof jwk.d !== 'string')
    configError(path, 'is a public JWK: give the private key (with "d") to sign.')
  const alg: SigningAlgorithm = jwk.kty === 'EC' ? 'ES256' : 'EdDSA'
  if (jwk.alg !== undefined && jwk.alg !== alg && !(alg === 'EdDSA' && jwk.alg === 'Ed25519'))
    configError(`${path}.alg`, `is ${JSON.stringify(jwk.alg)} but the key is for ${alg}.`)
  return alg
}

function algorithmOfPair(path: string, pair: CryptoKeyPair): SigningAlgorithm {
  const { privateKey, publicKey } = pair
  if (privateKey?.type !== 'private' || publicKey?.type !== 'public')
    configError(path, 'Expected a CryptoKeyPair ({ privateKey, publicKey }) or a private JWK.')
  if (!privateKey.usages.includes('sign')) configError(`${path}.privateKey`, "must allow 'sign'.")
  if (!publicKey.extractable)
    configError(`${path}.publicKey`, 'must be extractable, so that it can be published in the JWKS.')
  const algorithm = privateKey.algorithm as EcKeyAlgorithm
  if (algorithm.name === 'ECDSA' && algorithm.namedCurve === 'P-256') return 'ES256'
  if (algorithm.name === 'Ed25519') return 'EdDSA'
  return configError(
    path,
    `is a ${algorithm.name}${algorithm.namedCurve === undefined ? '' : ` ${algorithm.namedCurve}`} key: only ECDSA P-256 (ES256) and Ed25519 (EdDSA) keys sign access tokens, e.g. generateKeyPair('ES256').`,
  )
}

function isKeyPair(value: unknown): value is CryptoKeyPair {
  return typeof value === 'object' && value !== null && 'privateKey' in value
}

function toTime(path: string, value: unknown): number {
  if (value === undefined) return 0
  const time = value instanceof Date ? value.getTime() : value
  if (typeof time !== 'number' || !Number.isFinite(time))
    configError(path, 'Expected a time in ms since the epoch or a valid Date.')
  return time
}

function memoize<T>(make: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined
  return () => {
    value ??= make()
    return value
  }
}

/**
 * Checks a key schedule and orders it by `notBefore`. Keys are imported and exported lazily (Web
 * Crypto is asynchronous), once each.
 */
export function resolveSigningKeys(path: string, value: unknown): readonly ScheduledKey[] {
  if (!Array.isArray(value) || value.length === 0)
    configError(
      path,
      "Expected a non-empty list of { key, kid, notBefore? }, e.g. [{ key, kid: '2026-01' }].",
    )
  const kids = new Set<string>()
  const checked = value.map((item: unknown, i) => {
    const itemPath = `${path}[${i}]`
    if (typeof item !== 'object' || item === null) configError(itemPath, 'Expected { key, kid, notBefore? }.')
    for (const name of Object.keys(item))
      if (name !== 'key' && name !== 'kid' && name !== 'notBefore')
        configError(
          `${itemPath}.${name}`,
          'is not a known option. Remove it or check its spelling against the documentation.',
        )
    const { key, kid, notBefore } = item as SigningKey
    if (typeof kid !== 'string' || !kidPattern.test(kid))
      configError(`${itemPath}.kid`, 'must be 1 to 128 characters of letters, digits, "-", "_" and ".".')
    if (kids.has(kid)) configError(`${itemPath}.kid`, `${JSON.stringify(kid)} is used by another key.`)
    kids.add(kid)
    if (typeof key !== 'object' || key === null)
      configError(`${itemPath}.key`, 'Expected a CryptoKeyPair or a private JWK.')
    const keyPath = `${itemPath}.key`
    const alg = isKeyPair(key) ? algorithmOfPair(keyPath, key) : algorithmOfJwk(keyPath, key as JWK)
    return { key, kid, alg, notBefore: toTime(`${itemPath}.notBefore`, notBefore) }
  })
  checked.sort((a, b) => a.notBefore - b.notBefore)
  checked.forEach((entry, i) => {
    if (i > 0 && checked[i - 1]?.notBefore === entry.notBefore)
      configError(
        path,
        `has two keys with the same notBefore (${entry.notBefore}): give each key its own start.`,
      )
  })
  return checked.map((entry, i): ScheduledKey => {
    const { key, kid, alg } = entry
    const privateKey = isKeyPair(key)
      ? () => Promise.resolve(key.privateKey)
      : memoize(() => importJWK({ ...(key as JWK), alg }, alg))
    const publicJwk = memoize(async () => {
      const jwk = isKeyPair(key) ? await exportJWK(key.publicKey) : (key as JWK)
      return { ...pickPublic(jwk), kid, alg, use: 'sig' }
    })
    const next = checked[i + 1]
    return {
      kid,
      alg,
      notBefore: entry.notBefore,
      retiresAt: next?.notBefore ?? Infinity,
      privateKey,
      publicJwk,
    }
  })
}
