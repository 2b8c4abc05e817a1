import type { SigV4Naming } from '@sec/core/signing'
import { usageError } from '../args/usage-error.js'

/** The flags `sign` and `verify` share: the credential scope, the names and what is signed. */
export const schemeFlags = {
  region: { type: 'string' },
  service: { type: 'string' },
  aws: { type: 'boolean' },
  algorithm: { type: 'string' },
  prefix: { type: 'string' },
  'key-prefix': { type: 'string' },
  terminator: { type: 'string' },
  'nonce-header': { type: 'string' },
  nonce: { type: 'boolean' },
  'content-hash': { type: 'boolean' },
  'normalize-path': { type: 'boolean' },
  'double-encode-path': { type: 'boolean' },
} as const

/** Their values, as `parseFlags` gives them. */
export interface SchemeFlagValues {
  readonly region?: string | undefined
  readonly service?: string | undefined
  readonly aws?: boolean | undefined
  readonly algorithm?: string | undefined
  readonly prefix?: string | undefined
  readonly 'key-prefix'?: string | undefined
  readonly terminator?: string | undefined
  readonly 'nonce-header'?: string | undefined
  readonly nonce?: boolean | undefined
  readonly 'content-hash'?: boolean | undefined
  readonly 'normalize-path'?: boolean | undefined
  readonly 'double-encode-path'?: boolean | undefined
}

/** The scheme the flags describe, as the library's options take it. */
export interface Scheme {
  readonly naming: SigV4Naming | undefined
  /** `false`, or the nonce header (`undefined`: the default `<prefix>Nonce`). */
  readonly nonce: false | { readonly header?: string }
  readonly contentHash: boolean
  readonly normalizePath: boolean
  readonly doubleEncodePath: boolean
}

/** How library option paths read as flags, for `withFlagNames`. */
export const schemeLabels: Readonly<Record<string, string>> = {
  region: '--region',
  service: '--service',
  'naming.algorithm': '--algorithm',
  'naming.prefix': '--prefix',
  'naming.keyPrefix': '--key-prefix',
  'naming.terminator': '--terminator',
  'nonce.header': '--nonce-header',
}

const renames = ['algorithm', 'prefix', 'key-prefix', 'terminator'] as const

/**
 * Decides the scheme. By default it is the library's (`createSigner`, the `sigv4` guard): AWS's
 * names, a signed nonce and a signed content hash. `--aws` signs as the AWS SDKs do for AWS
 * services: no nonce and no content hash header (`--content-hash` for S3), and refuses renames.
 */
export function schemeOf(values: SchemeFlagValues): Scheme {
  const aws = values.aws === true
  if (aws)
    for (const flag of renames)
      if (values[flag] !== undefined) usageError(`--aws signs with AWS's names; leave out --${flag}`)
  const naming: SigV4Naming = {
    ...(values.algorithm !== undefined && { algorithm: values.algorithm }),
    ...(values.prefix !== undefined && { prefix: values.prefix }),
    ...(values['key-prefix'] !== undefined && { keyPrefix: values['key-prefix'] }),
    ...(values.terminator !== undefined && { terminator: values.terminator }),
  }
  const nonceOn = values.nonce ?? !aws
  if (!nonceOn && values['nonce-header'] !== undefined)
    usageError(
      '--nonce-header names the nonce header, but the nonce is off (--no-nonce, or --aws without --nonce)',
    )
  const nonceHeader = values['nonce-header']
  return {
    naming: Object.keys(naming).length === 0 ? undefined : naming,
    nonce: nonceOn ? (nonceHeader === undefined ? {} : { header: nonceHeader }) : false,
    contentHash: values['content-hash'] ?? !aws,
    normalizePath: values['normalize-path'] ?? true,
    doubleEncodePath: values['double-encode-path'] ?? true,
  }
}
