import { configError } from '../config/index.js'
import { bytesEqual } from '../tokens/constant-time.js'
import { type HmacSha256, hmacSha256, utf8 } from './hmac-sha256.js'

/** Turns the `secrets` option into one HMAC function per secret, naming the bad one by its path. */
export function secretKeys(
  where: string,
  secrets: readonly unknown[] | undefined,
  keyOf: (path: string, secret: unknown) => Uint8Array<ArrayBuffer>,
): readonly HmacSha256[] {
  if (secrets === undefined || secrets.length === 0)
    configError(`${where}.secrets`, "is required: list at least one signing secret, e.g. ['whsec_…'].")
  return secrets.map((secret, index) => hmacSha256(keyOf(`${where}.secrets[${index}]`, secret)))
}

/** The secret whose HMAC a presented signature matched, and that signature as expected. */
export interface SecretMatch {
  readonly secretIndex: number
  readonly signature: string
}

/**
 * Compares presented signatures with the HMAC of the content under each key, encoded as the
 * format writes it. Each comparison takes the same time wherever the bytes differ.
 */
export async function matchingSecret(
  keys: readonly HmacSha256[],
  content: Uint8Array<ArrayBuffer>,
  signatures: readonly string[],
  encode: (mac: Uint8Array) => string,
): Promise<SecretMatch | undefined> {
  const macs = await Promise.all(keys.map((key) => key(content)))
  const expected = macs.map(encode)
  // Every expected signature has the same, public length: other lengths cannot match.
  const length = expected[0]?.length
  const presented = signatures.filter((signature) => signature.length === length).map(utf8)
  for (const [secretIndex, signature] of expected.entries()) {
    const bytes = utf8(signature)
    for (const candidate of presented) if (bytesEqual(candidate, bytes)) return { secretIndex, signature }
  }
  return undefined
}
