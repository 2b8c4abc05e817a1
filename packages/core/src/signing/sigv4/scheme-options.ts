import * as v from 'valibot'
import type { Clock } from '../../pipeline/index.js'
import type { PathRules } from './canonical-path.js'
import { namingSchema, type ResolvedNaming, resolveNaming, scopeElementSchema } from './naming.js'
import { type SigningCrypto, webSigningCrypto } from './signing-crypto.js'
import { type SigningKeyCache, signingKeyCache } from './signing-key.js'

/** The payload hash of a body that is not signed. */
export const unsignedPayload = 'UNSIGNED-PAYLOAD'

/** The longest a presigned URL may live, as AWS allows: 7 days, in seconds. */
export const maxPresignSeconds = 604_800

/** Options the signer and the verifier share, as valibot entries. */
export const schemeEntries = {
  region: v.optional(scopeElementSchema),
  service: v.optional(scopeElementSchema),
  naming: v.optional(namingSchema),
  normalizePath: v.optional(v.boolean()),
  doubleEncodePath: v.optional(v.boolean()),
  crypto: v.optional(
    v.custom<SigningCrypto>(
      (x) =>
        typeof (x as SigningCrypto | null)?.sha256Hex === 'function' &&
        typeof (x as SigningCrypto | null)?.hmacSha256 === 'function',
      'Expected { sha256Hex(data), hmacSha256(key, data) }, e.g. nodeSigningCrypto from @sec/node',
    ),
  ),
  clock: v.optional(
    v.custom<Clock>((x) => typeof (x as Clock | null)?.now === 'function', 'Expected { now(): number }'),
  ),
}

/** What both sides decided from the shared options. */
export interface SchemeSettings {
  readonly region: string
  readonly service: string
  readonly naming: ResolvedNaming
  readonly path: PathRules
  readonly crypto: SigningCrypto
  readonly keys: SigningKeyCache
}

type SchemeInput = {
  readonly region?: string | undefined
  readonly service?: string | undefined
  readonly naming?: v.InferOutput<typeof namingSchema> | undefined
  readonly normalizePath?: boolean | undefined
  readonly doubleEncodePath?: boolean | undefined
  readonly crypto?: SigningCrypto | undefined
}

/** Resolves the shared options once; `region` and `service` must be present (checked by the caller). */
export function schemeSettings(
  parsed: SchemeInput & { readonly region: string; readonly service: string },
  keyCacheSize: number,
): SchemeSettings {
  const naming = resolveNaming(parsed.naming)
  const crypto = parsed.crypto ?? webSigningCrypto
  return {
    region: parsed.region,
    service: parsed.service,
    naming,
    path: { normalize: parsed.normalizePath ?? true, doubleEncode: parsed.doubleEncodePath ?? true },
    crypto,
    keys: signingKeyCache(crypto, {
      keyPrefix: naming.keyPrefix,
      terminator: naming.terminator,
      maxEntries: keyCacheSize,
    }),
  }
}

const neverSigned = new Set([
  'authorization',
  'cache-control',
  'connection',
  'expect',
  'from',
  'keep-alive',
  'max-forwards',
  'pragma',
  'referer',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'user-agent',
  'x-amzn-trace-id',
])

/**
 * Whether the signer signs a header (lower-case name): not the hop-by-hop and proxy headers that
 * intermediaries change, nor those browsers and HTTP clients rewrite (`user-agent`, `sec-*`), the
 * same list as the AWS SDK's.
 */
export function isSignable(name: string): boolean {
  return !neverSigned.has(name) && !name.startsWith('proxy-') && !name.startsWith('sec-')
}
