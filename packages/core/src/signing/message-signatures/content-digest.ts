import { configError } from '../../config/index.js'
import { bytesEqual } from '../../tokens/constant-time.js'
import { encodeBase64 } from './base64.js'
import { parseSfDictionary } from './parse-structured-field.js'
import type { SfDictionary } from './structured-fields.js'

/** The digest algorithms of RFC 9530 this computes and checks; others in a field are ignored. */
export type ContentDigestAlgorithm = 'sha-256' | 'sha-512'

/** A body to digest: bytes, or text that is digested as UTF-8. */
export type DigestableBody = Uint8Array | ArrayBuffer | string

const hashNames: Readonly<Record<ContentDigestAlgorithm, string>> = {
  'sha-256': 'SHA-256',
  'sha-512': 'SHA-512',
}
const encoder = new TextEncoder()

function bodyBytes(body: DigestableBody): Uint8Array<ArrayBuffer> {
  if (typeof body === 'string') return encoder.encode(body)
  if (body instanceof ArrayBuffer) return new Uint8Array(body)
  return body.buffer instanceof ArrayBuffer ? (body as Uint8Array<ArrayBuffer>) : new Uint8Array(body)
}

async function digest(algorithm: ContentDigestAlgorithm, body: DigestableBody): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest(hashNames[algorithm], bodyBytes(body)))
}

/**
 * The `Content-Digest` field value of a body (RFC 9530), e.g. `sha-256=:X48E9q…=:`. Sign the
 * `content-digest` component to cover the body with the signature.
 *
 * @example
 * const body = JSON.stringify(note)
 * headers.set('content-digest', await contentDigest(body))
 */
export async function contentDigest(
  body: DigestableBody,
  algorithm: ContentDigestAlgorithm = 'sha-256',
): Promise<string> {
  if (algorithm !== 'sha-256' && algorithm !== 'sha-512')
    configError(
      'contentDigest.algorithm',
      `must be 'sha-256' or 'sha-512'; got ${JSON.stringify(algorithm)}.`,
    )
  return `${algorithm}=:${encodeBase64(await digest(algorithm, body))}:`
}

/**
 * Whether a `Content-Digest` field value matches a body. It must be a valid structured dictionary
 * with at least one `sha-256` or `sha-512` member, and every such member must be a byte sequence
 * equal to the body's digest; members of other algorithms (`md5`, `sha`, unknown ones) are ignored,
 * as RFC 9530 §5 allows, and never enough on their own. `null` (an absent field) gives `false`.
 */
export async function verifyContentDigest(fieldValue: string | null, body: DigestableBody): Promise<boolean> {
  if (fieldValue === null) return false
  let members: SfDictionary
  try {
    members = parseSfDictionary(fieldValue)
  } catch {
    return false
  }
  let checked = 0
  for (const algorithm of ['sha-256', 'sha-512'] as const) {
    const member = members.get(algorithm)
    if (member === undefined) continue
    if (member.kind !== 'item' || member.value.type !== 'byte-sequence') return false
    if (!bytesEqual(await digest(algorithm, body), member.value.value)) return false
    checked++
  }
  return checked > 0
}
