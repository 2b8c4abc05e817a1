import { base64url } from 'jose'
import * as v from 'valibot'
import { configError, parseOptions } from '../../config/index.js'
import { type Duration, parseDuration } from '../../duration/index.js'
import { type Clock, cryptoRandom, type RandomSource, systemClock } from '../../pipeline/index.js'
import type { SigV4Naming } from './naming.js'
import { headerNameSchema } from './naming.js'
import { nonceBytes } from './nonce-bytes.js'
import { maxPresignSeconds, schemeEntries, schemeSettings } from './scheme-options.js'
import {
  type HeaderLine,
  ownHeaderNames,
  presignMessage,
  type SignerSettings,
  type SigV4Message,
  type SigV4Presignature,
  type SigV4Signature,
  signMessage,
} from './sign-message.js'
import type { SigningCrypto } from './signing-crypto.js'

/** Options of {@link createSigner}. */
export interface SignerOptions {
  /** The access key id, sent in the credential scope. Required. */
  readonly accessKeyId: string
  /** The secret access key. It never leaves this process: only HMACs derived from it do. Required. */
  readonly secretAccessKey: string
  /** A temporary session token, sent as `<prefix>Security-Token` (and signed). Default: none. */
  readonly sessionToken?: string
  /** The region of the credential scope, e.g. `'us-east-1'` or `'eu'`. Required. */
  readonly region: string
  /** The service of the credential scope, e.g. `'execute-api'` or `'notes'`. Required. */
  readonly service: string
  /** Header, query and algorithm names. Default: AWS's (see {@link SigV4Naming}). */
  readonly naming?: SigV4Naming
  /**
   * Send a fresh random nonce (16 bytes, base64url) in a signed header (or, presigned, a query
   * parameter) so a server can refuse replays, which the `sigv4` guard requires by default.
   * `{ header }` names it. Default: `true`, header `<prefix>Nonce`. AWS services do not use one:
   * turn it off for them.
   */
  readonly nonce?: boolean | { readonly header?: string }
  /**
   * Send the hex SHA-256 of the body in the signed `<prefix>Content-Sha256` header (S3 requires
   * it; the `sigv4` guard requires it by default). Default: `true`.
   */
  readonly contentHash?: boolean
  /**
   * Sign `UNSIGNED-PAYLOAD` instead of the body's hash, for bodies too large or streamed to hash
   * first. A `sigv4` guard refuses it unless told otherwise. Default: `false`.
   */
  readonly unsignedPayload?: boolean
  /**
   * Sign the session token. A few AWS services want it added after signing instead. Default: `true`.
   */
  readonly signSessionToken?: boolean
  /**
   * Normalize the path (remove `.`, `..` and empty segments) before signing. `false` for S3.
   * Must match the server's setting. Default: `true`.
   */
  readonly normalizePath?: boolean
  /**
   * Escape the (already escaped) path once more before signing, as every AWS service but S3
   * expects. `false` for S3. Must match the server's setting. Default: `true`.
   */
  readonly doubleEncodePath?: boolean
  /** The SHA-256 and HMAC implementation. Default: Web Crypto; `nodeSigningCrypto` from `@sec/node` on Node. */
  readonly crypto?: SigningCrypto
  /** The clock that dates requests. Default: `Date.now`. */
  readonly clock?: Clock
  /** The random source of nonces. Default: `crypto.getRandomValues`. */
  readonly random?: RandomSource
}

/** Header values of a request to sign: a `Headers`, a record (arrays for repeated fields), or name/value pairs. */
export type SignableHeaders =
  | Headers
  | Readonly<Record<string, string | readonly string[] | undefined>>
  | Iterable<readonly [string, string]>

/** A request to sign, as any HTTP client describes it. */
export interface SignableRequest {
  /** The method. Default: `'GET'`. Sent upper-case: sign `PATCH`, not `patch`. */
  readonly method?: string
  /** The absolute URL. Its host is signed as `Host` unless the headers carry one. */
  readonly url: string | URL
  /** The headers to send, all signed except hop-by-hop, proxy, `user-agent` and `sec-*` ones. Default: none. */
  readonly headers?: SignableHeaders
  /** The body, exactly as it will be sent. Default: none. */
  readonly body?: string | Uint8Array | ArrayBuffer | null
}

/** Options of {@link Signer.presign}. */
export interface PresignOptions {
  /**
   * How long the URL stays valid: whole seconds as a number (as `<prefix>Expires` carries it) or a
   * duration string such as `'15m'`; from 1 second to 7 days. Default: `900` (15 minutes).
   */
  readonly expiresIn?: number | Exclude<Duration, number>
}

/** A `fetch`-shaped function. */
export type FetchLike = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>

/** Signs requests for one set of credentials. */
export interface Signer {
  /**
   * The headers to add to the request, in order: the session token, `<prefix>Date`, the nonce, the
   * content hash (each when enabled) and `Authorization`. Send the request with exactly the signed
   * headers, the same body, and these added (they replace any of the same name).
   */
  sign(request: SignableRequest): Promise<Record<string, string>>
  /** A presigned URL: the request's URL with the authentication in its query. Send the same headers with it. */
  presign(request: SignableRequest, options?: PresignOptions): Promise<string>
  /**
   * A `fetch` that signs every request before sending it with `fetch` (default: the global one).
   * The body is read once to hash it, then sent as is.
   */
  signedFetch(fetch?: FetchLike): FetchLike
  /** Signs a request given as its wire parts, and returns every step: for tools and debugging. */
  signMessage(message: SigV4Message): Promise<SigV4Signature>
  /** Presigns a request given as its wire parts, and returns every step: for tools and debugging. */
  presignMessage(message: SigV4Message, options?: PresignOptions): Promise<SigV4Presignature>
}

const text = v.pipe(v.string(), v.minLength(1, 'Expected a non-empty string'))

const optionsSchema = v.strictObject({
  accessKeyId: v.optional(
    v.pipe(
      v.string(),
      v.regex(
        /^[\x21-\x2e\x30-\x7e]{1,128}$/,
        'Expected 1 to 128 printable ASCII characters, without / or space',
      ),
    ),
  ),
  secretAccessKey: v.optional(text),
  sessionToken: v.optional(
    v.pipe(v.string(), v.regex(/^[\x21-\x7e]+$/, 'Expected printable ASCII characters without spaces')),
  ),
  nonce: v.optional(
    v.union(
      [v.boolean(), v.strictObject({ header: v.optional(headerNameSchema) })],
      "Expected true, false or { header: 'X-Request-Nonce' }",
    ),
  ),
  contentHash: v.optional(v.boolean()),
  unsignedPayload: v.optional(v.boolean()),
  signSessionToken: v.optional(v.boolean()),
  random: v.optional(
    v.custom<RandomSource>((x) => typeof x === 'function', 'Expected a function like crypto.getRandomValues'),
  ),
  ...schemeEntries,
})

const defaultExpiresIn = 900

function expirySeconds(options: PresignOptions | undefined): number {
  const value = options?.expiresIn ?? defaultExpiresIn
  let seconds: number
  if (typeof value === 'number') seconds = value
  else {
    const ms = parseDuration('presign.expiresIn', value)
    seconds = ms / 1000
  }
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > maxPresignSeconds)
    configError(
      'presign.expiresIn',
      `must be whole seconds from 1 to ${maxPresignSeconds} (7 days); got ${JSON.stringify(value)}.`,
    )
  return seconds
}

function headerLines(headers: SignableHeaders | undefined): HeaderLine[] {
  const lines: HeaderLine[] = []
  if (headers === undefined) return lines
  if (headers instanceof Headers) {
    headers.forEach((value, name) => {
      lines.push([name, value])
    })
    return lines
  }
  if (Symbol.iterator in headers) {
    for (const [name, value] of headers as Iterable<readonly [string, string]>) lines.push([name, value])
    return lines
  }
  for (const [name, value] of Object.entries(
    headers as Record<string, string | readonly string[] | undefined>,
  )) {
    if (value === undefined) continue
    if (typeof value === 'string') lines.push([name, value])
    else for (const item of value) lines.push([name, item])
  }
  return lines
}

function bodyBytes(body: SignableRequest['body']): Uint8Array | string | undefined {
  if (body === undefined || body === null) return undefined
  return body instanceof ArrayBuffer ? new Uint8Array(body) : body
}

function toMessage(request: SignableRequest): { message: SigV4Message; url: URL } {
  const url = typeof request.url === 'string' ? new URL(request.url) : request.url
  const headers = headerLines(request.headers)
  if (!headers.some(([name]) => name.toLowerCase() === 'host')) headers.push(['host', url.host])
  return {
    url,
    message: {
      method: (request.method ?? 'GET').toUpperCase(),
      target: url.pathname + url.search,
      headers,
      body: bodyBytes(request.body),
    },
  }
}

/**
 * A SigV4 signer for a client: signs requests with an `Authorization` header, presigns URLs, or
 * wraps `fetch`. Runs wherever Web Crypto does (Node, browsers, workers, edge functions); derived
 * keys are cached per day, so each request costs two SHA-256 and one HMAC.
 *
 * @example
 * const signer = createSigner({ accessKeyId, secretAccessKey, region: 'eu', service: 'notes' })
 * const fetchSigned = signer.signedFetch()
 * await fetchSigned('https://api.example.com/v1/signed/notes', { method: 'POST', body: JSON.stringify(note) })
 */
export function createSigner(options: SignerOptions): Signer {
  const parsed = parseOptions('createSigner', optionsSchema, options)
  const { accessKeyId, secretAccessKey, region, service } = parsed
  if (accessKeyId === undefined) configError('createSigner.accessKeyId', 'is required.')
  if (secretAccessKey === undefined) configError('createSigner.secretAccessKey', 'is required.')
  if (region === undefined) configError('createSigner.region', "is required, e.g. 'us-east-1'.")
  if (service === undefined) configError('createSigner.service', "is required, e.g. 'execute-api'.")
  const scheme = schemeSettings({ ...parsed, region, service }, 4)
  const nextNonce = nonceBytes(parsed.random ?? cryptoRandom, parsed.random === undefined)
  const clock = parsed.clock ?? systemClock
  const nonce = parsed.nonce ?? true
  const nonceHeader =
    nonce === false
      ? undefined
      : ((nonce === true ? undefined : nonce.header) ?? `${scheme.naming.prefix}Nonce`)
  const settings: SignerSettings = {
    ...scheme,
    accessKeyId,
    secret: secretAccessKey,
    sessionToken: parsed.sessionToken,
    signSessionToken: parsed.signSessionToken ?? true,
    nonceHeader,
    newNonce: () => base64url.encode(nextNonce()),
    contentHash: parsed.contentHash ?? true,
    unsignedPayload: parsed.unsignedPayload ?? false,
    ownNames: ownHeaderNames(scheme.naming, nonceHeader),
  }

  async function sign(request: SignableRequest): Promise<Record<string, string>> {
    const { message } = toMessage(request)
    const signed = await signMessage(settings, message, clock.now())
    return Object.fromEntries(signed.headers)
  }

  async function presign(request: SignableRequest, presignOptions?: PresignOptions): Promise<string> {
    const seconds = expirySeconds(presignOptions)
    const { message, url } = toMessage(request)
    const signed = await presignMessage(settings, message, seconds, clock.now())
    return `${url.origin}${signed.target}`
  }

  function signedFetch(fetchImpl: FetchLike = (input, init) => globalThis.fetch(input, init)): FetchLike {
    return async (input, init) => {
      const request = new Request(input, init)
      const body = request.body === null ? null : new Uint8Array(await request.clone().arrayBuffer())
      const added = await sign({ method: request.method, url: request.url, headers: request.headers, body })
      const headers = new Headers(request.headers)
      for (const [name, value] of Object.entries(added)) headers.set(name, value)
      return fetchImpl(new Request(request, { headers }))
    }
  }

  return {
    sign,
    presign,
    signedFetch,
    signMessage: (message) => signMessage(settings, message, clock.now()),
    presignMessage: async (message, presignOptions) =>
      presignMessage(settings, message, expirySeconds(presignOptions), clock.now()),
  }
}
