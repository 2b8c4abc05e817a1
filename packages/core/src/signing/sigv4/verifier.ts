import * as v from 'valibot'
import { authUnavailableRetryAfter } from '../../auth/auth-unavailable.js'
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
import { canonicalRequest, stringToSign } from './canonical-request.js'
import { hexEqual, isHexDigest } from './hex-digest.js'
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

/** What a verifier needs to know of a signed header list, worked out once per list. */
interface SignedList {
  /** The names, lower-case, sorted, unique. */
  readonly names: readonly string[]
  /** The names joined with `;`, as the canonical request ends. */
  readonly joined: string
  /** `name:` for each name, as its line of the canonical request starts. */
  readonly labels: readonly string[]
  /** The first required header the list lacks, for a request signed in its headers. */
  readonly missing: string | undefined
  /** Where the date header is in {@link names}; -1 when it is not signed. */
  readonly dateAt: number
  /** Where the nonce header is in {@link names}; -1 when it is not signed. */
  readonly nonceAt: number
  /** Where the content hash header is in {@link names}; -1 when it is not signed. */
  readonly contentHashAt: number
}

/** What the request presented, before any secret is involved. */
interface Presented {
  readonly presigned: boolean
  readonly credential: SigV4Credential
  readonly signed: SignedList
  /** See {@link AuthorizationScope.scope}. */
  readonly scope: string
  /** Holds the signature from {@link signatureAt} to its end: the header itself, for a request signed in it. */
  readonly signature: string
  /** Where the signature starts in {@link signature}. */
  readonly signatureAt: number
  /** What the nonce is recorded under: `sigv4:<access key id>:`, then the nonce. */
  readonly noncePrefix: string
  readonly amzDate: string | undefined
  readonly expires: string | undefined
  readonly nonce: string | undefined
  readonly contentHash: string | undefined
  readonly query: readonly QueryParameter[]
}

/** The parse of an `Authorization` header but its signature, kept for the next request of the client. */
interface AuthorizationScope {
  readonly credential: SigV4Credential
  readonly signed: SignedList
  /** The credential scope the string to sign names, `date/region/service/terminator`, once the scope is checked. */
  readonly scope: string
  /** See {@link Presented.noncePrefix}. */
  readonly noncePrefix: string
}

/** The parameters of a request without a query. */
const noQuery: readonly QueryParameter[] = []

/** The most `Authorization` parses a verifier keeps: a few per client and day. */
const authorizationCacheSize = 1000
/** Longer headers (without the signature) are parsed every time, so the cache stays small: at most about 0.5 MB. */
const maxCachedAuthorizationLength = 512
/** What precedes the signature at the end of a header whose parse can be kept: a separator, then the label. */
const signatureLabel = 'Signature='

/** The start of every nonce's key in the store: the scheme and the access key id, so clients never collide. */
function noncePrefixOf(accessKeyId: string): string {
  return `sigv4:${accessKeyId}:`
}

/** The active secrets of a known access key id, and the principal it authenticates. */
interface ClientSecrets {
  readonly secrets: readonly string[]
  readonly principal: Principal
}

function isPromiseLike<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as PromiseLike<T> | null | undefined)?.then === 'function'
}

/** What a credential lookup answered, as secrets and a principal; `undefined` when it knows no secret. */
function clientSecrets(
  accessKeyId: string,
  found: readonly string[] | SigV4ClientCredentials | undefined,
): ClientSecrets | undefined {
  if (found === undefined) return undefined
  const client = Array.isArray(found) ? undefined : (found as SigV4ClientCredentials)
  const listed = client === undefined ? (found as readonly string[]) : client.secrets
  const secrets = listed.every(usableSecret) ? listed : listed.filter(usableSecret)
  if (secrets.length === 0) return undefined
  const id = client?.owner ?? accessKeyId
  const scopes = client?.scopes
  const principal: Principal =
    scopes === undefined ? { id, kind: 'client', accessKeyId } : { id, kind: 'client', scopes, accessKeyId }
  return { secrets, principal }
}

/** An empty secret signs nothing (and Web Crypto refuses an empty HMAC key). */
function usableSecret(secret: unknown): boolean {
  return typeof secret === 'string' && secret !== ''
}

function nonceStoreFailure(): SecProblemError {
  return new SecProblemError(
    catalogProblem('auth-unavailable', {
      detail: 'Signed requests cannot be checked for replays right now. Retry later.',
    }),
    { 'retry-after': String(authUnavailableRetryAfter) },
  )
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
 * Per request it does no more than it must: a client's `Authorization` header differs from its
 * last one only by the signature, so the parse of the rest (credential and signed header list) is
 * kept, for up to 1000 headers of at most 512 characters before the signature; derived signing
 * keys are kept too (`keyCacheSize`). With a synchronous `crypto` (`nodeSigningCrypto`), credential
 * lookup and nonce store, a verification waits for nothing but the body.
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
      signed: signedList(signedHeaders),
      scope: `${credential.date}/${scopeTail}`,
      signature,
      signatureAt: 0,
      noncePrefix: noncePrefixOf(credential.accessKeyId),
      amzDate: found.get(params.date),
      expires: found.get(params.expires) ?? '',
      nonce: nonce === undefined ? undefined : percentDecode(nonce),
      contentHash: contentHash === undefined ? undefined : percentDecode(contentHash),
      query,
    }
  }

  function signedList(names: readonly string[]): SignedList {
    return {
      names,
      joined: names.join(';'),
      labels: names.map((name) => `${name}:`),
      missing: required.find((name) => !names.includes(name)),
      dateAt: names.indexOf(lower.date),
      nonceAt: nonceLower === undefined ? -1 : names.indexOf(nonceLower),
      contentHashAt: names.indexOf(lower.contentHash),
    }
  }

  // The credential and signed header list of one client stay the same request after request; only
  // the signature changes. Their parse is kept by the header's text before the signature, so a
  // known client's header costs a comparison (the last one seen) or a lookup. Only headers that
  // end with `, Signature=<64 characters>` are kept: the rest of the text then decides everything
  // else the parse answers, and the signature is valid exactly when it is 64 lower-case hex digits.
  const authorizations = new Map<string, AuthorizationScope>()
  let lastHead = ''
  let lastScope: AuthorizationScope | undefined

  // Clients call the same few paths: the last one's canonical form is kept.
  let lastPath: string | undefined
  let lastCanonicalPath = ''
  function canonicalPathOf(path: string): string {
    if (path !== lastPath) {
      lastCanonicalPath = canonicalPath(path, scheme.path)
      lastPath = path
    }
    return lastCanonicalPath
  }

  function present(request: SecurityRequest, rawQuery: string): Presented | SigV4Refused {
    const authorization = request.headers.getAll('authorization')
    const query = rawQuery === '' ? noQuery : parseQuery(rawQuery)
    const presigned =
      query.length > 0 && query.some(([name]) => name === params.signature || name === params.algorithm)
    if (authorization.length === 0) {
      if (!presigned) return unsigned
      return allowPresigned ? fromQuery(query) : noPresigned
    }
    if (authorization.length > 1) return duplicated('Authorization')
    if (presigned) return bothWays
    const value = authorization[0] as string
    const tail = value.length - 64
    const separator = value.charCodeAt(tail - signatureLabel.length - 1)
    const cacheable =
      tail <= maxCachedAuthorizationLength &&
      (separator === 0x20 || separator === 0x2c) &&
      value.startsWith(signatureLabel, tail - signatureLabel.length)
    const head = cacheable ? value.slice(0, tail) : ''
    let scope = cacheable ? (head === lastHead ? lastScope : authorizations.get(head)) : undefined
    let signature = value
    let signatureAt = tail
    if (scope !== undefined) {
      if (!isHexDigest(value, tail)) return malformedAuthorization
    } else {
      const parsed = parseSigV4Authorization(value, naming.algorithm)
      if (parsed === undefined) return malformedAuthorization
      scope = {
        credential: parsed.credential,
        signed: signedList(parsed.signedHeaders),
        scope: `${parsed.credential.date}/${scopeTail}`,
        noncePrefix: noncePrefixOf(parsed.credential.accessKeyId),
      }
      signature = parsed.signature
      signatureAt = 0
      if (cacheable) {
        // Kept and handed to every later request of the client (as `signedHeaders`): frozen.
        Object.freeze(parsed.signedHeaders)
        Object.freeze(parsed.credential)
        if (authorizations.size >= authorizationCacheSize)
          authorizations.delete(authorizations.keys().next().value as string)
        authorizations.set(head, scope)
      }
    }
    if (cacheable) {
      lastHead = head
      lastScope = scope
    }
    return {
      presigned: false,
      credential: scope.credential,
      signed: scope.signed,
      scope: scope.scope,
      signature,
      signatureAt,
      noncePrefix: scope.noncePrefix,
      amzDate: undefined,
      expires: undefined,
      nonce: undefined,
      contentHash: undefined,
      query,
    }
  }

  /** The credentials of an access key id; `undefined` when there are none. Answers directly when the lookup does. */
  function secretsOf(accessKeyId: string): ClientSecrets | undefined | Promise<ClientSecrets | undefined> {
    const found = (credentials as SigV4CredentialLookup)(accessKeyId)
    return isPromiseLike(found)
      ? Promise.resolve(found).then((settled) => clientSecrets(accessKeyId, settled))
      : clientSecrets(accessKeyId, found)
  }

  /** Records the nonce under its prefix; a store that throws or rejects becomes a 503. Answers directly when the store does. */
  function record(prefix: string, nonce: string, ttl: number): boolean | Promise<boolean> {
    let recorded: boolean | Promise<boolean>
    try {
      recorded = (nonceStore as NonceStore).record(prefix + nonce, ttl)
    } catch {
      throw nonceStoreFailure()
    }
    return typeof recorded === 'boolean'
      ? recorded
      : Promise.resolve(recorded).then(undefined, () => {
          throw nonceStoreFailure()
        })
  }

  // Every step below answers directly when the crypto implementation, the credential lookup and
  // the nonce store do (nodeSigningCrypto, a Map, the memory store): a verification then waits
  // only for the body.
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
    const { credential, signed, presigned } = presented
    const signedHeaders = signed.names
    // The values of the signed headers, read once for the checks below and the canonical request.
    const values = new Array<readonly string[] | string>(signedHeaders.length)
    for (let i = 0; i < signedHeaders.length; i++)
      values[i] = request.headers.getAll(signedHeaders[i] as string)

    // The time, in the header or the query.
    let amzDate = presented.amzDate
    if (!presigned) {
      const lines = signed.dateAt === -1 ? request.headers.getAll(lower.date) : values[signed.dateAt]
      if (lines === undefined || lines.length === 0) return mustSign(naming.dateHeader)
      if (lines.length > 1) return duplicated(lower.date)
      amzDate = lines[0] as string
    }
    const signedAt = amzDate === undefined ? undefined : parseAmzDate(amzDate)
    if (amzDate === undefined || signedAt === undefined) return malformedDate
    if (
      !amzDate.startsWith(credential.date) ||
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
    if (!presigned) {
      if (signed.missing !== undefined) return mustSign(signed.missing)
    } else {
      for (const name of required) {
        if (signedHeaders.includes(name)) continue
        if (name === lower.date || name === lower.contentHash) continue
        if (name === nonceLower && presented.nonce !== undefined) continue
        return mustSign(name)
      }
    }
    for (let i = 0; i < signedHeaders.length; i++)
      if ((values[i] as readonly string[]).length === 0) return absent(signedHeaders[i] as string)

    // The nonce, signed.
    let nonce = presented.nonce
    const nonceInHeader = nonceLower !== undefined && nonce === undefined
    if (nonceInHeader) {
      if (signed.nonceAt === -1) return mustSign(nonceHeader as string)
      const lines = values[signed.nonceAt] as readonly string[]
      if (lines.length > 1) return duplicated(nonceLower)
      nonce = lines[0]
    }
    if (nonce !== undefined && !nonceValue.test(nonce)) return malformedNonce

    // The content hash the signature covers: signed header, presigned parameter, or the body's own.
    let contentHash = presented.contentHash
    const hashInHeader = contentHash === undefined && signed.contentHashAt !== -1
    if (hashInHeader) {
      const lines = values[signed.contentHashAt] as readonly string[]
      if (lines.length > 1) return duplicated(lower.contentHash)
      contentHash = lines[0]
    }
    if (contentHash !== undefined) {
      if (contentHash === unsignedPayload) {
        if (!allowUnsigned) return unsignedRefused
      } else if (!isHexDigest(contentHash)) return malformedHash
    }

    // The date, nonce and content hash headers just checked hold no whitespace: each is its own
    // canonical form, passed as such so the canonical request does not scan them again.
    if (!presigned && signed.dateAt !== -1) values[signed.dateAt] = amzDate
    if (nonceInHeader) values[signed.nonceAt] = nonce as string
    if (hashInHeader) values[signed.contentHashAt] = contentHash as string
    const readBody = verifyOptions?.body ?? (() => request.body(maxBodyBytes ?? 1_048_576))
    let payloadHash = contentHash
    if (payloadHash === undefined) {
      const hashed = crypto.sha256Hex(await readBody())
      payloadHash = typeof hashed === 'string' ? hashed : await hashed
    }

    // Secrets, signature.
    const found = secretsOf(credential.accessKeyId)
    const client = isPromiseLike(found) ? await found : found
    if (client === undefined) return unknownKey
    const creq = canonicalRequest({
      method: request.method,
      path: canonicalPathOf(path),
      query: presigned ? canonicalQuery(presented.query, params.signature) : canonicalQuery(presented.query),
      signedHeaders,
      signedHeaderList: signed.joined,
      headerLabels: signed.labels,
      headerValues: values,
      payloadHash,
    })
    const creqHash = crypto.sha256Hex(creq)
    const toSign = stringToSign(
      naming.algorithm,
      amzDate,
      presented.scope,
      typeof creqHash === 'string' ? creqHash : await creqHash,
    )
    let match = false
    for (const secret of client.secrets) {
      const derived = keys.key(secret, credential.date, region, service)
      const mac = hmacHex(crypto, derived instanceof Uint8Array ? derived : await derived, toSign)
      if (hexEqual(typeof mac === 'string' ? mac : await mac, presented.signature, presented.signatureAt))
        match = true
    }
    if (!match) return badSignature

    // The body against its signed hash.
    if (contentHash !== undefined && contentHash !== unsignedPayload) {
      const hashed = crypto.sha256Hex(await readBody())
      // Both hashes come from the request itself (no secret): a plain comparison leaks nothing.
      if ((typeof hashed === 'string' ? hashed : await hashed) !== contentHash) return bodyMismatch
    }

    // Last, the nonce: only a request with a valid signature may use one up. It is kept for the
    // rest of its window plus the skew, so an instance whose clock lags by up to the skew (or a
    // store whose clock does) still refuses the replay.
    if (nonce !== undefined) {
      const recorded = record(presented.noncePrefix, nonce, acceptUntil - now + skew)
      if (!(typeof recorded === 'boolean' ? recorded : await recorded)) return replayed
    }
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
