import * as v from 'valibot'

/**
 * The names a SigV4-style scheme uses. Every default is AWS's, so AWS services and SDKs interoperate;
 * an API of its own may rename them (`{ algorithm: 'SEC1-HMAC-SHA256', prefix: 'X-Sec-', keyPrefix:
 * 'SEC1', terminator: 'sec1_request' }`) so its requests can never be mistaken for AWS ones.
 * Query parameters of presigned URLs carry the same names as the headers.
 */
export interface SigV4Naming {
  /**
   * The algorithm label: the scheme of the `Authorization` header, the `<prefix>Algorithm` query
   * parameter and the first line of the string to sign. Letters, digits, `-`, `.`, `_`, `~`.
   * Default: `'AWS4-HMAC-SHA256'`.
   */
  readonly algorithm?: string
  /**
   * The prefix of the headers and query parameters: `<prefix>Date`, `<prefix>Credential`,
   * `<prefix>Signature`, … Letters, digits and `-`. Default: `'X-Amz-'`.
   */
  readonly prefix?: string
  /** Prepended to the secret for the first HMAC of the key derivation. Default: `'AWS4'`. */
  readonly keyPrefix?: string
  /**
   * The last element of the credential scope (`date/region/service/<terminator>`) and the last
   * input of the key derivation. Default: `'aws4_request'`.
   */
  readonly terminator?: string
  /** The header (and presigned query parameter) with the request time. Default: `<prefix>Date`. */
  readonly dateHeader?: string
  /**
   * The header with the hex SHA-256 of the body (or `UNSIGNED-PAYLOAD`). Default: `<prefix>Content-Sha256`,
   * spelled `x-amz-content-sha256` with the AWS prefix, as AWS SDKs send it.
   */
  readonly contentHashHeader?: string
  /** The header (and presigned query parameter) with a session token. Default: `<prefix>Security-Token`. */
  readonly securityTokenHeader?: string
}

/** {@link SigV4Naming} with every name decided, and the lower-case header names for lookups. */
export interface ResolvedNaming {
  readonly algorithm: string
  readonly prefix: string
  readonly keyPrefix: string
  readonly terminator: string
  readonly dateHeader: string
  readonly contentHashHeader: string
  readonly securityTokenHeader: string
  /** Lower-case header names, for lookups and signed header lists. */
  readonly lower: { readonly date: string; readonly contentHash: string; readonly securityToken: string }
  /** Presigned URL parameter names. */
  readonly params: {
    readonly algorithm: string
    readonly credential: string
    readonly date: string
    readonly expires: string
    readonly signedHeaders: string
    readonly signature: string
    readonly securityToken: string
    readonly contentHash: string
  }
}

const awsPrefix = 'X-Amz-'
const scopeElement = /^[A-Za-z0-9._~-]{1,64}$/
/**
 * A header name that is also a query parameter name as it stands: letters, digits and `-` need no
 * escaping in a URL and are a valid HTTP field name.
 */
export const headerNameSchema = v.pipe(
  v.string(),
  v.regex(/^[A-Za-z0-9-]{1,64}$/, 'Expected 1 to 64 letters, digits or -, e.g. X-Sec-Date'),
)

/** A region or service name: it sits in the credential scope, so no `/`. */
export const scopeElementSchema = v.pipe(
  v.string(),
  v.regex(
    scopeElement,
    'Expected 1 to 64 letters, digits, -, ., _ or ~ (it is part of the credential scope)',
  ),
)

/** The valibot schema of {@link SigV4Naming}. */
export const namingSchema = v.strictObject({
  algorithm: v.optional(
    v.pipe(
      v.string(),
      v.regex(scopeElement, 'Expected 1 to 64 letters, digits, -, ., _ or ~, e.g. SEC1-HMAC-SHA256'),
    ),
  ),
  prefix: v.optional(
    v.pipe(v.string(), v.regex(/^[A-Za-z0-9-]{1,32}$/, 'Expected 1 to 32 letters, digits or -, e.g. X-Sec-')),
  ),
  keyPrefix: v.optional(
    v.pipe(v.string(), v.regex(/^[\x21-\x7e]{0,64}$/, 'Expected up to 64 printable ASCII characters')),
  ),
  terminator: v.optional(scopeElementSchema),
  dateHeader: v.optional(headerNameSchema),
  contentHashHeader: v.optional(headerNameSchema),
  securityTokenHeader: v.optional(headerNameSchema),
})

/** Decides every name of {@link SigV4Naming} (run once, at construction). */
export function resolveNaming(naming: v.InferOutput<typeof namingSchema> | undefined): ResolvedNaming {
  const prefix = naming?.prefix ?? awsPrefix
  const dateHeader = naming?.dateHeader ?? `${prefix}Date`
  const contentHashHeader =
    naming?.contentHashHeader ?? (prefix === awsPrefix ? 'x-amz-content-sha256' : `${prefix}Content-Sha256`)
  const securityTokenHeader = naming?.securityTokenHeader ?? `${prefix}Security-Token`
  return {
    algorithm: naming?.algorithm ?? 'AWS4-HMAC-SHA256',
    prefix,
    keyPrefix: naming?.keyPrefix ?? 'AWS4',
    terminator: naming?.terminator ?? 'aws4_request',
    dateHeader,
    contentHashHeader,
    securityTokenHeader,
    lower: {
      date: dateHeader.toLowerCase(),
      contentHash: contentHashHeader.toLowerCase(),
      securityToken: securityTokenHeader.toLowerCase(),
    },
    params: {
      algorithm: `${prefix}Algorithm`,
      credential: `${prefix}Credential`,
      date: dateHeader,
      expires: `${prefix}Expires`,
      signedHeaders: `${prefix}SignedHeaders`,
      signature: `${prefix}Signature`,
      securityToken: securityTokenHeader,
      contentHash: contentHashHeader,
    },
  }
}
