import type { RandomSource } from '../pipeline/index.js'
import { crc32 } from './crc32.js'

/** What a key may do: `secret` keys (`sk_`) authenticate servers; `publishable` keys (`pk_`) may ship in clients. */
export type ApiKeyKind = 'secret' | 'publishable'

/** The deployment a key belongs to. A `test` key is refused by a `live` deployment and the reverse. */
export type ApiKeyEnvironment = 'live' | 'test'

/** The parts of a well-formed key. Only {@link ParsedApiKey.key} is secret. */
export interface ParsedApiKey {
  /** The whole key, as given. Secret. */
  readonly key: string
  readonly kind: ApiKeyKind
  readonly environment: ApiKeyEnvironment
  /** The key's id: not secret, used to find the stored record and in URLs and logs. */
  readonly keyId: string
}

/** The base62 alphabet (digits, upper case, lower case), as GitHub's tokens use. */
export const base62Alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

/** Characters of the key id: 12 base62 characters (71 bits), unique enough to be a primary key. */
export const apiKeyIdLength = 12
/** Characters of the secret part: 22 base62 characters, 130.99 bits of randomness. */
export const apiKeySecretLength = 22
/** Characters of the checksum: the CRC-32 of everything before it, base62, zero-padded to 6. */
export const apiKeyChecksumLength = 6
/** The length of every key: `sk_live_` (8) + id (12) + `_` (1) + secret (22) + checksum (6). */
export const apiKeyLength = 8 + apiKeyIdLength + 1 + apiKeySecretLength + apiKeyChecksumLength
/** The bits of randomness in the secret part: `22 × log2(62)`. */
export const apiKeySecretBits = apiKeySecretLength * Math.log2(62)

const kindCodes: Readonly<Record<ApiKeyKind, string>> = { secret: 'sk', publishable: 'pk' }
const prefixes = new Map<string, { kind: ApiKeyKind; environment: ApiKeyEnvironment }>()
for (const kind of ['secret', 'publishable'] as const)
  for (const environment of ['live', 'test'] as const)
    prefixes.set(`${kindCodes[kind]}_${environment}_`, { kind, environment })

const digitOf = new Int8Array(128).fill(-1)
for (let i = 0; i < base62Alphabet.length; i++) digitOf[base62Alphabet.charCodeAt(i)] = i

/** The readable prefix of a key, e.g. `sk_live_`. */
export function apiKeyPrefix(kind: ApiKeyKind, environment: ApiKeyEnvironment): string {
  return `${kindCodes[kind]}_${environment}_`
}

// 248 = 4 × 62: bytes at or above it are dropped so that every character is equally likely.
const unbiasedLimit = 248

function randomBase62(random: RandomSource, length: number): string {
  let out = ''
  while (out.length < length) {
    const bytes = random(new Uint8Array(length * 2))
    for (const byte of bytes) {
      if (byte >= unbiasedLimit) continue
      out += base62Alphabet[byte % 62]
      if (out.length === length) break
    }
  }
  return out
}

function encodeChecksum(value: number): string {
  let out = ''
  let rest = value
  for (let i = 0; i < apiKeyChecksumLength; i++) {
    out = base62Alphabet[rest % 62] + out
    rest = Math.floor(rest / 62)
  }
  return out
}

function isBase62(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const code = text.charCodeAt(i)
    if (code >= 128 || digitOf[code] === -1) return false
  }
  return true
}

/** Whether a value has the shape of a key id (12 base62 characters), e.g. before looking it up. */
export function isApiKeyId(value: string): boolean {
  return typeof value === 'string' && value.length === apiKeyIdLength && isBase62(value, 0, apiKeyIdLength)
}

/** A new random key id (12 base62 characters). */
export function generateApiKeyId(random: RandomSource): string {
  return randomBase62(random, apiKeyIdLength)
}

/**
 * Builds a key: `<kind>_<environment>_<id>_<secret><checksum>`, for example
 * `sk_live_7Gq2Lk9XbW4p_Rj3Vn8TzQ1cYh6Mf0Ks5Ad2Ab38Q`. The checksum (GitHub's scheme: CRC-32 in
 * base62) lets secret scanners and {@link parseApiKey} reject a mistyped or truncated key without
 * a store lookup; it is not a security measure, the 131 random bits are.
 */
export function formatApiKey(
  kind: ApiKeyKind,
  environment: ApiKeyEnvironment,
  keyId: string,
  random: RandomSource,
): string {
  const body = `${apiKeyPrefix(kind, environment)}${keyId}_${randomBase62(random, apiKeySecretLength)}`
  return body + encodeChecksum(crc32(body))
}

const idStart = 8
const idEnd = idStart + apiKeyIdLength
const secretEnd = idEnd + 1 + apiKeySecretLength

/**
 * Parses a key; `undefined` unless it has the exact shape of {@link formatApiKey} and a matching
 * checksum. Never throws, whatever the input: it runs on what callers send.
 */
export function parseApiKey(value: string): ParsedApiKey | undefined {
  if (typeof value !== 'string' || value.length !== apiKeyLength) return undefined
  const prefix = prefixes.get(value.slice(0, idStart))
  if (prefix === undefined || value.charCodeAt(idEnd) !== 0x5f) return undefined
  if (!isBase62(value, idStart, idEnd) || !isBase62(value, idEnd + 1, apiKeyLength)) return undefined
  let checksum = 0
  for (let i = secretEnd; i < apiKeyLength; i++)
    checksum = checksum * 62 + (digitOf[value.charCodeAt(i)] as number)
  if (checksum !== crc32(value.slice(0, secretEnd))) return undefined
  return {
    key: value,
    kind: prefix.kind,
    environment: prefix.environment,
    keyId: value.slice(idStart, idEnd),
  }
}

/**
 * Whether a value starts like one of these keys (`sk_live_`, `pk_test_`, …), checksum or not: to
 * spot a key where it must not be (a URL), or to leave other credentials to another guard.
 */
export function looksLikeApiKey(value: string): boolean {
  return value.length >= idStart && prefixes.has(value.slice(0, idStart))
}
