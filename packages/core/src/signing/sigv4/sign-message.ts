import { formatAmzDate } from './amz-date.js'
import { canonicalPath } from './canonical-path.js'
import { canonicalQuery, parseQuery, type QueryParameter } from './canonical-query.js'
import { canonicalRequest, credentialScope, stringToSign } from './canonical-request.js'
import type { ResolvedNaming } from './naming.js'
import { isSignable, type SchemeSettings, unsignedPayload } from './scheme-options.js'
import { hmacHex } from './signing-crypto.js'
import { uriEncode } from './uri-encode.js'

/** A header field line: name (any case) and value. Repeated names are separate lines. */
export type HeaderLine = readonly [name: string, value: string]

/**
 * A request as it goes on the wire, for signing: what `signer.sign` builds from a URL, and what a
 * tool that signs saved requests passes directly.
 */
export interface SigV4Message {
  /** The method, e.g. `GET`. */
  readonly method: string
  /** The request target as on the request line: the path and optional query, e.g. `/v1/notes?limit=10`. */
  readonly target: string
  /** The header lines, in order. `Host` must be among them to be signed. */
  readonly headers: readonly HeaderLine[]
  /** The body; none hashes as the empty body. Ignored with `unsignedPayload`. */
  readonly body?: Uint8Array | string | undefined
}

/** The outcome of signing a message with an `Authorization` header, with the steps for debugging. */
export interface SigV4Signature {
  /** The canonical request that was hashed (no secret in it). */
  readonly canonicalRequest: string
  /** The string that was signed (no secret in it). */
  readonly stringToSign: string
  /** The hex signature. */
  readonly signature: string
  /**
   * The header lines to add, in this order: the session token, the date, the nonce, the content
   * hash (each when enabled), then `Authorization`.
   */
  readonly headers: readonly HeaderLine[]
}

/** The outcome of presigning a message: the query parameters that authenticate it. */
export interface SigV4Presignature {
  /** The canonical request that was hashed (no secret in it). */
  readonly canonicalRequest: string
  /** The string that was signed (no secret in it). */
  readonly stringToSign: string
  /** The hex signature. */
  readonly signature: string
  /** The parameters to append to the target's query, escaped, joined with `&`, without a leading `?` or `&`. */
  readonly query: string
  /** The target with {@link query} appended. */
  readonly target: string
}

/** What the signer decided at construction, beyond the shared scheme. */
export interface SignerSettings extends SchemeSettings {
  readonly accessKeyId: string
  readonly secret: string
  readonly sessionToken: string | undefined
  readonly signSessionToken: boolean
  readonly nonceHeader: string | undefined
  readonly newNonce: () => string
  readonly contentHash: boolean
  readonly unsignedPayload: boolean
  /** {@link ownHeaderNames}, decided once. */
  readonly ownNames: ReadonlySet<string>
}

function splitTarget(target: string): { path: string; query: string } {
  const q = target.indexOf('?')
  return q === -1 ? { path: target, query: '' } : { path: target.slice(0, q), query: target.slice(q + 1) }
}

/** The lower-case names a signer sets itself: a message's own lines of these are neither signed nor kept. */
export function ownHeaderNames(naming: ResolvedNaming, nonceHeader: string | undefined): ReadonlySet<string> {
  const names = new Set([
    'authorization',
    naming.lower.date,
    naming.lower.contentHash,
    naming.lower.securityToken,
  ])
  if (nonceHeader !== undefined) names.add(nonceHeader.toLowerCase())
  return names
}

function collect(
  lines: readonly HeaderLine[],
  into: Map<string, string[]>,
  skip: ReadonlySet<string> | undefined,
): void {
  for (const [name, value] of lines) {
    const lower = name.toLowerCase()
    if (skip !== undefined && (skip.has(lower) || !isSignable(lower))) continue
    const values = into.get(lower)
    if (values === undefined) into.set(lower, [value])
    else values.push(value)
  }
}

async function payloadHashOf(
  settings: SignerSettings,
  body: Uint8Array | string | undefined,
): Promise<string> {
  return settings.unsignedPayload ? unsignedPayload : settings.crypto.sha256Hex(body ?? '')
}

async function finish(
  settings: SignerSettings,
  amzDate: string,
  scope: string,
  creq: string,
): Promise<{ stringToSign: string; signature: string }> {
  const { crypto, keys, naming, region, service } = settings
  const toSign = stringToSign(naming.algorithm, amzDate, scope, await crypto.sha256Hex(creq))
  const key = await keys.key(settings.secret, amzDate.slice(0, 8), region, service)
  return { stringToSign: toSign, signature: await hmacHex(crypto, key, toSign) }
}

/** Signs a message with an `Authorization` header at time `now` (ms since the epoch). */
export async function signMessage(
  settings: SignerSettings,
  message: SigV4Message,
  now: number,
): Promise<SigV4Signature> {
  const { naming } = settings
  const amzDate = formatAmzDate(now)
  const scope = credentialScope(amzDate.slice(0, 8), settings.region, settings.service, naming.terminator)
  const payloadHash = await payloadHashOf(settings, message.body)

  const added: [string, string][] = []
  const signedAdded: HeaderLine[] = []
  const add = (name: string, value: string, signed = true) => {
    added.push([name, value])
    if (signed) signedAdded.push([name, value])
  }
  if (settings.sessionToken !== undefined)
    add(naming.securityTokenHeader, settings.sessionToken, settings.signSessionToken)
  add(naming.dateHeader, amzDate)
  if (settings.nonceHeader !== undefined) add(settings.nonceHeader, settings.newNonce())
  if (settings.contentHash) add(naming.contentHashHeader, payloadHash)

  const values = new Map<string, string[]>()
  collect(message.headers, values, settings.ownNames)
  collect(signedAdded, values, undefined)
  const signedHeaders = [...values.keys()].sort()
  const { path, query } = splitTarget(message.target)
  const creq = canonicalRequest({
    method: message.method,
    path: canonicalPath(path, settings.path),
    query: canonicalQuery(parseQuery(query)),
    signedHeaders,
    headerValues: signedHeaders.map((name) => values.get(name) ?? []),
    payloadHash,
  })
  const { stringToSign, signature } = await finish(settings, amzDate, scope, creq)
  added.push([
    'Authorization',
    `${naming.algorithm} Credential=${settings.accessKeyId}/${scope}, SignedHeaders=${signedHeaders.join(';')}, Signature=${signature}`,
  ])
  return { canonicalRequest: creq, stringToSign, signature, headers: added }
}

/**
 * Presigns a message at time `now` for `expiresIn` seconds: the authentication goes into the query
 * (`<prefix>Algorithm`, `Credential`, `Date`, `SignedHeaders`, `Expires`, then the session token,
 * the nonce and, for an unsigned payload, the content hash, then `Signature`), and the message's
 * own headers (with `Host`) are signed as they are.
 */
export async function presignMessage(
  settings: SignerSettings,
  message: SigV4Message,
  expiresIn: number,
  now: number,
): Promise<SigV4Presignature> {
  const { naming } = settings
  const { params } = naming
  const amzDate = formatAmzDate(now)
  const scope = credentialScope(amzDate.slice(0, 8), settings.region, settings.service, naming.terminator)
  const payloadHash = await payloadHashOf(settings, message.body)

  const values = new Map<string, string[]>()
  collect(message.headers, values, settings.ownNames)
  const signedHeaders = [...values.keys()].sort()

  const added: QueryParameter[] = [
    [params.algorithm, naming.algorithm],
    [params.credential, uriEncode(`${settings.accessKeyId}/${scope}`)],
    [params.date, amzDate],
    [params.signedHeaders, uriEncode(signedHeaders.join(';'))],
    [params.expires, String(expiresIn)],
  ]
  const signedAdded: QueryParameter[] = [...added]
  if (settings.sessionToken !== undefined) {
    const token: QueryParameter = [params.securityToken, uriEncode(settings.sessionToken)]
    added.push(token)
    if (settings.signSessionToken) signedAdded.push(token)
  }
  if (settings.nonceHeader !== undefined) {
    const nonce: QueryParameter = [settings.nonceHeader, uriEncode(settings.newNonce())]
    added.push(nonce)
    signedAdded.push(nonce)
  }
  if (settings.unsignedPayload) {
    const hash: QueryParameter = [params.contentHash, unsignedPayload]
    added.push(hash)
    signedAdded.push(hash)
  }

  const { path, query } = splitTarget(message.target)
  const creq = canonicalRequest({
    method: message.method,
    path: canonicalPath(path, settings.path),
    query: canonicalQuery([...parseQuery(query), ...signedAdded]),
    signedHeaders,
    headerValues: signedHeaders.map((name) => values.get(name) ?? []),
    payloadHash,
  })
  const { stringToSign, signature } = await finish(settings, amzDate, scope, creq)
  added.push([params.signature, signature])
  const appended = added.map(([name, value]) => `${name}=${value}`).join('&')
  const { target } = message
  const separator = !target.includes('?') ? '?' : target.endsWith('?') || target.endsWith('&') ? '' : '&'
  return {
    canonicalRequest: creq,
    stringToSign,
    signature,
    query: appended,
    target: target + separator + appended,
  }
}
