import * as v from 'valibot'
import { parseByteSize } from '../../body/byte-size.js'
import { configError, parseOptions } from '../../config/index.js'
import { type Duration, parseDuration } from '../../duration/index.js'
import { type Clock, type Principal, systemClock } from '../../pipeline/index.js'
import { catalogProblem, type Problem, SecProblemError } from '../../problem/index.js'
import type { SecurityRequest } from '../../request/index.js'
import { memoryNonceStore, type NonceStore } from '../nonce/index.js'
import { parseAmzDate } from './amz-date.js'
import {
  isHexSignature,
  parseCredential,
  parseSignedHeaders,
  parseSigV4Authorization,
  type SigV4Credential,
} from './authorization-header.js'
import { canonicalPath } from './canonical-path.js'
import { canonicalQuery, parseQuery, type QueryParameter } from './canonical-query.js'
import { canonicalRequest, credentialScope, stringToSign } from './canonical-request.js'
import { hexEqual } from './hex-equal.js'
import { headerNameSchema, type SigV4Naming } from './naming.js'
import { maxPresignSeconds, schemeEntries, schemeSettings, unsignedPayload } from './scheme-options.js'
import { hmacHex, type SigningCrypto } from './signing-crypto.js'
import { percentDecode } from './uri-encode.js'

/**
 * Why a signed request was refused, sent as the `reason` of the 401 problem:
 * - `missing-header`: no signature at all, or a required header absent or not signed;
 * - `malformed`: an `Authorization` header, presigned parameter, date, nonce or content hash that
 *   does not parse, or a signature-bearing header sent twice;
 * - `wrong-scope`: a credential scope of another date, region, service or terminator;
 * - `expired`: a request time outside the window, or a presigned URL past its expiry;
 * - `unknown-key`: an access key id without secrets;
 * - `bad-signature`: no active secret gives the signature;
 * - `body-mismatch`: the body is not the one whose hash was signed, or an unsigned payload where
 *   signed ones are required;
 * - `replayed`: a nonce already accepted within its window.
 */
export type SigV4Refusal =
  | 'missing-header'
  | 'malformed'
  | 'wrong-scope'
  | 'expired'
  | 'unknown-key'
  | 'bad-signature'
  | 'body-mismatch'
  | 'replayed'

/** What a credential lookup knows about an access key id. */
export interface SigV4ClientCredentials {
  /** The active secrets, several during a rotation; any one of them may have signed. */
  readonly secrets: readonly string[]
  /** Who the key belongs to: the principal's `id`. Default: the access key id. */
  readonly owner?: string
  /** Scopes granted to the key, for `requireScopes`. Default: none. */
  readonly scopes?: readonly string[]
}

/** Finds the secrets of an access key id: a list of secrets, or {@link SigV4ClientCredentials}; `undefined` or empty when unknown. */
export type SigV4CredentialLookup = (
  accessKeyId: string,
) =>
  | readonly string[]
  | SigV4ClientCredentials
  | undefined
  | Promise<readonly string[] | SigV4ClientCredentials | undefined>

/** The replay protection of {@link SigV4VerifierOptions.nonce}. */
export interface SigV4NonceOptions {
  /**
   * The header carrying the nonce; a presigned URL carries it as a query parameter of the same
   * name. Letters, digits and `-`. Default: `<prefix>Nonce` (`X-Amz-Nonce`).
   */
  readonly header?: string
  /**
   * Where accepted nonces are remembered, for the window (or a presigned URL's lifetime). Use a
   * shared store (`@sec/redis`) when several instances serve the same clients. Default: a
   * `memoryNonceStore()` of this verifier.
   */
  readonly store?: NonceStore
}

/** Options of {@link createSigV4Verifier}, {@link verifySigV4} and the `sigv4` guard. */
export interface SigV4VerifierOptions {
  /** Finds the active secrets of an access key id. Required. */
  readonly credentials: SigV4CredentialLookup
  /** The region the credential scope must name. Required. */
  readonly region: string
  /** The service the credential scope must name. Required. */
  readonly service: string
  /** Header, query and algorithm names; must match the clients'. Default: AWS's (see {@link SigV4Naming}). */
  readonly naming?: SigV4Naming
  /**
   * How far the request time may be from the server's, either way, as a {@link Duration}
   * (milliseconds or a string like `'5m'`), at most `'1h'`. A nonce is remembered for the rest of its window plus this.
   * Default: `'5m'`.
   */
  readonly clockSkew?: Duration
  /**
   * Replay protection: every request must carry a signed nonce, accepted once. `false` turns it
   * off (AWS SDK clients send none), leaving only the time window. Default: `{}` (header
   * `<prefix>Nonce`, a memory store).
   */
  readonly nonce?: false | SigV4NonceOptions
  /**
   * Headers every request must sign (case-insensitive). A presigned URL carries the date, the
   * nonce and (optionally) the content hash as signed query parameters instead. Default: `host`,
   * the date header, the nonce header (unless `nonce: false`) and the content hash header.
   */
  readonly requiredSignedHeaders?: readonly string[]
  /** Accept `UNSIGNED-PAYLOAD` (the body is then not checked). Default: `false`. */
  readonly allowUnsignedPayload?: boolean
  /** Accept presigned URLs (authentication in the query). Default: `true`. */
  readonly presigned?: boolean
  /**
   * The largest body read to check its hash, in bytes (or a size like `'10mb'`); a larger one is a
   * 413. Default: in the `sigv4` guard, the `bodyLimit` of `createSecurity`; in
   * {@link SigV4Verifier.verify}, `'1mb'`.
   */
  readonly maxBodyBytes?: number | `${number}${'b' | 'kb' | 'mb'}`
  /** Normalize the path before checking, as the clients' signer does. `false` for S3-style clients. Default: `true`. */
  readonly normalizePath?: boolean
  /** Escape the path once more before checking, as the clients' signer does. `false` for S3-style clients. Default: `true`. */
  readonly doubleEncodePath?: boolean
  /** The SHA-256 and HMAC implementation. Default: Web Crypto; `nodeSigningCrypto` from `@sec/node` on Node. */
  readonly crypto?: SigningCrypto
  /** The clock of {@link SigV4Verifier.verify}, unless a time is given. Default: `Date.now`. */
  readonly clock?: Clock
  /** How many derived signing keys (one per secret and day) are kept. Default: `1000`. */
  readonly keyCacheSize?: number
}

/** A request whose signature holds. */
export interface SigV4Verified {
  readonly valid: true
  readonly accessKeyId: string
  /** `{ id: owner ?? accessKeyId, kind: 'client', scopes?, accessKeyId }`. */
  readonly principal: Principal
  /** Whether it was a presigned URL. */
  readonly presigned: boolean
  /** The signed request time, ms since the epoch. */
  readonly signedAt: number
  /** When a presigned URL expires, ms since the epoch; `undefined` for a signed header. */
  readonly expiresAt: number | undefined
  /** The signed header names, lower-case. */
  readonly signedHeaders: readonly string[]
  /** The accepted nonce, or `undefined` with `nonce: false`. */
  readonly nonce: string | undefined
}

/** A refused request, with the 401 problem to answer. */
export interface SigV4Refused {
  readonly valid: false
  readonly reason: SigV4Refusal
  /** `unauthorized` with `detail` and `reason`; never a secret nor the expected signature. */
  readonly problem: Problem
}

/** The outcome of a verification. */
export type SigV4Verification = SigV4Verified | SigV4Refused

/** Per-call settings of {@link SigV4Verifier.verify}. */
export interface SigV4VerifyOptions {
  /** The time to check against, ms since the epoch. Default: the verifier's clock. */
  readonly now?: number
  /** Reads the raw body (the `sigv4` guard passes the pipeline's). Default: `request.body(maxBodyBytes)`. */
  readonly body?: () => Promise<Uint8Array>
}

/** Checks SigV4-signed requests. */
export interface SigV4Verifier {
  /**
   * Verifies a request. Answers a refusal rather than throwing, except for a `SecProblemError`
   * when the body is over its limit (413) or the nonce store fails (503 `auth-unavailable`).
   */
  verify(request: SecurityRequest, options?: SigV4VerifyOptions): Promise<SigV4Verification>
}

const lookupSchema = v.custom<SigV4CredentialLookup>(
  (x) => typeof x === 'function',
  'Expected a function (accessKeyId) => secrets | { secrets, owner?, scopes? } | undefined',
)

/** Options schema entries the guard shares. */
export const verifierEntries = {
  credentials: v.optional(lookupSchema),
  clockSkew: v.optional(v.union([v.number(), v.string()])),
  nonce: v.optional(
    v.custom<false | SigV4NonceOptions>(
      (x) => x === false || (typeof x === 'object' && x !== null),
      'Expected false or { header?, store? }',
    ),
  ),
  requiredSignedHeaders: v.optional(
    v.array(
      v.pipe(
        v.string(),
        v.regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}$/, 'Expected a header name such as host'),
      ),
    ),
  ),
  allowUnsignedPayload: v.optional(v.boolean()),
  presigned: v.optional(v.boolean()),
  maxBodyBytes: v.optional(v.union([v.number(), v.string()])),
  keyCacheSize: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1_000_000))),
  ...schemeEntries,
}

const optionsSchema = v.strictObject(verifierEntries)

const nonceSchema = v.strictObject({
  header: v.optional(headerNameSchema),
  store: v.optional(
    v.custom<NonceStore>(
      (x) => typeof (x as NonceStore | null)?.record === 'function',
      'Expected a NonceStore such as memoryNonceStore()',
    ),
  ),
})

const hourMs = 3_600_000
const nonceValue = /^[\x21-\x7e]{8,256}$/

/** What the request presented, before any secret is involved. */
interface Presented {
  readonly presigned: boolean
  readonly credential: SigV4Credential
  readonly signedHeaders: readonly string[]
  readonly signature: string
  readonly amzDate: string | undefined
  readonly expires: string | undefined
  readonly nonce: string | undefined
  readonly contentHash: string | undefined
  readonly query: readonly QueryParameter[]
}

/**
 * Prepares a SigV4 verifier: options are checked once, here. See {@link SigV4Verifier.verify}.
 *
 * Checks run cheapest first, so garbage costs no lookup and no hash: the `Authorization` header
 * (or presigned query) is parsed, the credential scope compared, the time window and a presigned
 * URL's expiry checked, the required signed headers, nonce and content hash looked at; only then
 * are the secrets looked up, the signature computed for each active secret and compared in
 * constant time, the body hashed and compared with the signed hash, and last the nonce recorded,
 * so a forged request cannot use up a nonce.
 *
 * @example
 * const verifier = createSigV4Verifier({ credentials: (id) => secrets.get(id), region: 'eu', service: 'notes' })
 * const result = await verifier.verify(fromWebRequest(request))
 * if (!result.valid) return Response.json(result.problem, { status: 401 })
 */
export function createSigV4Verifier(options: SigV4VerifierOptions): SigV4Verifier {
  const where = 'createSigV4Verifier'
  const parsed = parseOptions(where, optionsSchema, options)
  return verifierFrom(where, parsed)
}

/** Builds the verifier from parsed options (the guard validates its own schema first). */
export function verifierFrom(where: string, parsed: v.InferOutput<typeof optionsSchema>): SigV4Verifier {
  const { credentials, region, service } = parsed
  if (credentials === undefined)
    configError(`${where}.credentials`, 'is required: a function from an access key id to its secrets.')
  if (region === undefined) configError(`${where}.region`, "is required, e.g. 'us-east-1'.")
  if (service === undefined) configError(`${where}.service`, "is required, e.g. 'execute-api'.")
  const scheme = schemeSettings({ ...parsed, region, service }, parsed.keyCacheSize ?? 1000)
  const { naming, crypto, keys } = scheme
  const { params, lower } = naming
  const clock = parsed.clock ?? systemClock
  const skew = parseDuration(`${where}.clockSkew`, parsed.clockSkew ?? '5m')
  if (skew > hourMs)
    configError(
      `${where}.clockSkew`,
      "must be at most '1h': a wider window keeps replays possible for longer.",
    )
  const maxBodyBytes =
    parsed.maxBodyBytes === undefined
      ? undefined
      : parseByteSize(`${where}.maxBodyBytes`, parsed.maxBodyBytes)
  const nonceOption =
    parsed.nonce === false ? false : parseOptions(`${where}.nonce`, nonceSchema, parsed.nonce ?? {})
  const nonceHeader = nonceOption === false ? undefined : (nonceOption.header ?? `${naming.prefix}Nonce`)
  const nonceLower = nonceHeader?.toLowerCase()
  const nonceStore = nonceOption === false ? undefined : (nonceOption.store ?? memoryNonceStore())
  const allowUnsigned = parsed.allowUnsignedPayload ?? false
  const allowPresigned = parsed.presigned ?? true
  const required = [
    ...new Set(
      (
        parsed.requiredSignedHeaders ?? [
          'host',
          lower.date,
          ...(nonceLower === undefined ? [] : [nonceLower]),
          lower.contentHash,
        ]
      ).map((name) => name.toLowerCase()),
    ),
  ]
  if (required.includes('authorization'))
    configError(
      `${where}.requiredSignedHeaders`,
      'cannot list authorization: it carries the signature itself.',
    )
  const scopeTail = `${region}/${service}/${naming.terminator}`
  const queryNames = new Set([
    params.algorithm,
    params.credential,
    params.date,
    params.expires,
    params.signedHeaders,
    params.signature,
    params.securityToken,
    params.contentHash,
    ...(nonceHeader === undefined ? [] : [nonceHeader]),
  ])

  const refusal = (reason: SigV4Refusal, detail: string): SigV4Refused => ({
    valid: false,
    reason,
    problem: catalogProblem('unauthorized', { detail, reason }),
  })
  const unsigned = refusal(
    'missing-header',
    `This request must be signed: send an Authorization header (${naming.algorithm}) or use a presigned URL.`,
  )
  const malformedAuthorization = refusal(
    'malformed',
    `The Authorization header is not a valid ${naming.algorithm} credential.`,
  )
  const malformedQuery = refusal('malformed', 'The presigned URL parameters are not valid.')
  const bothWays = refusal('malformed', 'Sign with the Authorization header or with the query, not both.')
  const noPresigned = refusal(
    'malformed',
    'Presigned URLs are not accepted here: sign with the Authorization header.',
  )
  const malformedDate = refusal(
    'malformed',
    `The request time is not a valid ${naming.dateHeader} (YYYYMMDDTHHMMSSZ).`,
  )
  const malformedNonce = refusal('malformed', 'The nonce must be 8 to 256 printable ASCII characters.')
  const malformedHash = refusal(
    'malformed',
    'The content hash must be 64 lower-case hex digits or UNSIGNED-PAYLOAD.',
  )
  const malformedExpires = refusal(
    'malformed',
    `${params.expires} must be whole seconds from 1 to ${maxPresignSeconds}.`,
  )
  const wrongScope = refusal(
    'wrong-scope',
    `The credential scope must be <date>/${scopeTail}, its date that of the request time.`,
  )
  const skewed = refusal(
    'expired',
    `The request time is more than ${Math.round(skew / 1000)} seconds from the server's.`,
  )
  const presignExpired = refusal('expired', 'The presigned URL has expired.')
  const presignEarly = refusal('expired', 'The presigned URL is not valid yet.')
  const unknownKey = refusal('unknown-key', 'The access key id is not known.')
  const badSignature = refusal('bad-signature', 'The signature does not match the request.')
  const bodyMismatch = refusal('body-mismatch', 'The body does not match the signed content hash.')
  const unsignedRefused = refusal(
    'body-mismatch',
    'The body must be signed: UNSIGNED-PAYLOAD is not accepted here.',
  )
  const replayed = refusal('replayed', 'This request was already received: its nonce can be used once.')
  const duplicated = (name: string) => refusal('malformed', `The ${name} header must be sent once.`)
  const mustSign = (name: string) =>
    refusal('missing-header', `The ${name} header must be present and signed.`)
  const absent = (name: string) => refusal('missing-header', `The signed header ${name} is absent.`)

  function single(request: SecurityRequest, name: string): string | SigV4Refused | undefined {
    const values = request.headers.getAll(name)
    if (values.length === 0) return undefined
    return values.length === 1 ? (values[0] as string) : duplicated(name)
  }

  function fromQuery(query: readonly QueryParameter[]): Presented | SigV4Refused {
    const found = new Map<string, string>()
    for (const [name, value] of query) {
      if (!queryNames.has(name)) continue
      if (found.has(name)) return malformedQuery
      found.set(name, value)
    }
    const credential = parseCredential(percentDecode(found.get(params.credential) ?? ''))
    const signedHeaders = parseSignedHeaders(percentDecode(found.get(params.signedHeaders) ?? ''))
    const signature = found.get(params.signature) ?? ''
    if (found.get(params.algorithm) !== naming.algorithm || credential === undefined) return malformedQuery
    if (signedHeaders === undefined || !isHexSignature(signature)) return malformedQuery
    const nonce = nonceHeader === undefined ? undefined : found.get(nonceHeader)
    const contentHash = found.get(params.contentHash)
    return {
      presigned: true,
      credential,
      signedHeaders,
      signature,
      amzDate: found.get(params.date),
      expires: found.get(params.expires) ?? '',
      nonce: nonce === undefined ? undefined : percentDecode(nonce),
      contentHash: contentHash === undefined ? undefined : percentDecode(contentHash),
      query,
    }
  }

  function present(request: SecurityRequest, rawQuery: string): Presented | SigV4Refused {
    const authorization = request.headers.getAll('authorization')
    const query = parseQuery(rawQuery)
    const presigned = query.some(([name]) => name === params.signature || name === params.algorithm)
    if (authorization.length === 0) {
      if (!presigned) return unsigned
      return allowPresigned ? fromQuery(query) : noPresigned
    }
    if (authorization.length > 1) return duplicated('Authorization')
    if (presigned) return bothWays
    const parsedAuthorization = parseSigV4Authorization(authorization[0] as string, naming.algorithm)
    if (parsedAuthorization === undefined) return malformedAuthorization
    return {
      presigned: false,
      ...parsedAuthorization,
      amzDate: undefined,
      expires: undefined,
      nonce: undefined,
      contentHash: undefined,
      query,
    }
  }

  async function secretsOf(
    accessKeyId: string,
  ): Promise<{ secrets: readonly string[]; principal: Principal } | undefined> {
    const found = await (credentials as SigV4CredentialLookup)(accessKeyId)
    if (found === undefined) return undefined
    const client: SigV4ClientCredentials = Array.isArray(found)
      ? { secrets: found }
      : (found as SigV4ClientCredentials)
    // An empty secret signs nothing (and Web Crypto refuses an empty HMAC key).
    const secrets = client.secrets.filter((secret) => typeof secret === 'string' && secret !== '')
    if (secrets.length === 0) return undefined
    const principal: Principal = {
      id: client.owner ?? accessKeyId,
      kind: 'client',
      ...(client.scopes !== undefined && { scopes: client.scopes }),
      accessKeyId,
    }
    return { secrets, principal }
  }

  async function record(accessKeyId: string, nonce: string, ttl: number): Promise<boolean> {
    try {
      return await (nonceStore as NonceStore).record(`sigv4:${accessKeyId}:${nonce}`, ttl)
    } catch {
      throw new SecProblemError(
        catalogProblem('auth-unavailable', {
          detail: 'Signed requests cannot be checked for replays right now. Retry later.',
        }),
      )
    }
  }

  async function verify(
    request: SecurityRequest,
    verifyOptions?: SigV4VerifyOptions,
  ): Promise<SigV4Verification> {
    const now = verifyOptions?.now ?? clock.now()
    const target = request.target
    const q = target.indexOf('?')
    const path = q === -1 ? target : target.slice(0, q)
    const presented = present(request, q === -1 ? '' : target.slice(q + 1))
    if ('valid' in presented) return presented
    const { credential, signedHeaders, presigned } = presented

    // The time, in the header or the query.
    let amzDate = presented.amzDate
    if (!presigned) {
      const header = single(request, lower.date)
      if (typeof header === 'object') return header
      if (header === undefined) return mustSign(naming.dateHeader)
      amzDate = header
    }
    const signedAt = amzDate === undefined ? undefined : parseAmzDate(amzDate)
    if (amzDate === undefined || signedAt === undefined) return malformedDate
    if (
      credential.date !== amzDate.slice(0, 8) ||
      credential.region !== region ||
      credential.service !== service ||
      credential.terminator !== naming.terminator
    )
      return wrongScope
    let expiresAt: number | undefined
    let acceptUntil: number
    if (presigned) {
      const expires = presented.expires ?? ''
      if (!/^[1-9]\d{0,5}$/.test(expires) || Number(expires) > maxPresignSeconds) return malformedExpires
      expiresAt = signedAt + Number(expires) * 1000
      if (signedAt - skew > now) return presignEarly
      if (now > expiresAt) return presignExpired
      acceptUntil = expiresAt
    } else {
      if (Math.abs(now - signedAt) > skew) return skewed
      acceptUntil = signedAt + skew
    }

    // Required signed headers, each present.
    const signed = signedHeaders
    for (const name of required) {
      if (signed.includes(name)) continue
      if (presigned && (name === lower.date || name === lower.contentHash)) continue
      if (presigned && name === nonceLower && presented.nonce !== undefined) continue
      return mustSign(name)
    }
    for (const name of signedHeaders) if (!request.headers.has(name)) return absent(name)

    // The nonce, signed.
    let nonce = presented.nonce
    if (nonceLower !== undefined && nonce === undefined) {
      if (!signed.includes(nonceLower)) return mustSign(nonceHeader as string)
      const header = single(request, nonceLower)
      if (typeof header === 'object') return header
      nonce = header
    }
    if (nonce !== undefined && !nonceValue.test(nonce)) return malformedNonce

    // The content hash the signature covers: signed header, presigned parameter, or the body's own.
    let contentHash = presented.contentHash
    if (contentHash === undefined && signed.includes(lower.contentHash)) {
      const header = single(request, lower.contentHash)
      if (typeof header === 'object') return header
      contentHash = header
    }
    if (contentHash !== undefined) {
      if (contentHash === unsignedPayload) {
        if (!allowUnsigned) return unsignedRefused
      } else if (!isHexSignature(contentHash)) return malformedHash
    }
    const readBody = verifyOptions?.body ?? (() => request.body(maxBodyBytes ?? 1_048_576))
    const payloadHash = contentHash ?? (await crypto.sha256Hex(await readBody()))

    // Secrets, signature.
    const client = await secretsOf(credential.accessKeyId)
    if (client === undefined) return unknownKey
    const creq = canonicalRequest({
      method: request.method,
      path: canonicalPath(path, scheme.path),
      query: presigned ? canonicalQuery(presented.query, params.signature) : canonicalQuery(presented.query),
      signedHeaders,
      headerValues: (name) => request.headers.getAll(name),
      payloadHash,
    })
    const scope = credentialScope(credential.date, region, service, naming.terminator)
    const toSign = stringToSign(naming.algorithm, amzDate, scope, await crypto.sha256Hex(creq))
    let match = false
    for (const secret of client.secrets) {
      const key = await keys.key(secret, credential.date, region, service)
      if (hexEqual(await hmacHex(crypto, key, toSign), presented.signature)) match = true
    }
    if (!match) return badSignature

    // The body against its signed hash.
    if (contentHash !== undefined && contentHash !== unsignedPayload) {
      if (!hexEqual(await crypto.sha256Hex(await readBody()), contentHash)) return bodyMismatch
    }

    // Last, the nonce: only a request with a valid signature may use one up. It is kept for the
    // rest of its window plus the skew, so an instance whose clock lags by up to the skew (or a
    // store whose clock does) still refuses the replay.
    if (nonce !== undefined && !(await record(credential.accessKeyId, nonce, acceptUntil - now + skew)))
      return replayed
    return {
      valid: true,
      accessKeyId: credential.accessKeyId,
      principal: client.principal,
      presigned,
      signedAt,
      expiresAt,
      signedHeaders,
      nonce,
    }
  }

  return { verify }
}

const prepared = new WeakMap<SigV4VerifierOptions, SigV4Verifier>()

/**
 * Verifies one SigV4-signed request (a `SecurityRequest`, e.g. `fromWebRequest(request)`). The
 * verifier built from `options` is kept for as long as the options object lives, so pass the same
 * object each time (its default nonce store and key cache are then shared).
 */
export function verifySigV4(
  request: SecurityRequest,
  options: SigV4VerifierOptions,
  verifyOptions?: SigV4VerifyOptions,
): Promise<SigV4Verification> {
  let verifier = prepared.get(options)
  if (verifier === undefined) {
    verifier = createSigV4Verifier(options)
    prepared.set(options, verifier)
  }
  return verifier.verify(request, verifyOptions)
}
