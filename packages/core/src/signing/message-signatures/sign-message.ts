import * as v from 'valibot'
import { configError, parseOptions } from '../../config/index.js'
import { type Duration, parseDuration } from '../../duration/index.js'
import { type Clock, systemClock } from '../../pipeline/index.js'
import { encodeBase64 } from './base64.js'
import {
  type HttpMessageLike,
  type HttpRequestLike,
  isHttpRequestLike,
  messageParts,
  requestParts,
} from './http-message.js'
import { serializeSfInnerList } from './serialize-structured-field.js'
import {
  isCryptoKey,
  isMessageSignatureAlgorithm,
  keyAlgorithmFor,
  type MessageSignatureAlgorithm,
  signBytes,
  UnsupportedSignatureKeyError,
} from './signature-algorithms.js'
import { createSignatureBase, signatureBaseBytes } from './signature-base.js'
import {
  clockSchema,
  labelSchema,
  resolveComponents,
  resolveStructuredFields,
  sfStringSchema,
  structuredFieldsSchema,
} from './signature-options.js'
import { type SfBareItem, type StructuredFieldType, sfInteger, sfString } from './structured-fields.js'

/** Options of {@link signMessage}. */
export interface SignMessageOptions {
  /** The key: an HMAC SHA-256 secret, or an Ed25519, ECDSA P-256 or RSA-PSS SHA-512 private key, with the `sign` usage. Required. */
  readonly key: CryptoKey
  /** The `keyid` parameter: how the verifier finds the key. Printable ASCII. Required. */
  readonly keyId: string
  /**
   * The algorithm. Default: the key's own (an Ed25519 key signs `ed25519`, …); when given, it must
   * be the key's, so a mistake shows at once rather than as signatures nobody can verify.
   */
  readonly algorithm?: MessageSignatureAlgorithm
  /**
   * The covered components, in order: field names (`content-type`, `content-digest`) and derived
   * components (`@method`, `@authority`, `@path`, `@query`, `@target-uri`, `@scheme`,
   * `@request-target`, `@query-param;name="id"`, `@status`), with optional parameters `;sf`,
   * `;key="…"`, `;bs`, `;req`. Field names are lower-cased. Required (may be empty).
   */
  readonly components: readonly string[]
  /**
   * The `created` parameter, in seconds since the epoch, or `false` to leave it out (verifiers of
   * this library then refuse the signature). Default: now, from `clock`.
   */
  readonly created?: number | false
  /** The `expires` parameter, in seconds since the epoch. Default: none, or `created + expiresIn`. */
  readonly expires?: number
  /** Sets `expires` this long after `created` (a duration: ms or `'30s'`, `'5m'`). Default: no `expires`. */
  readonly expiresIn?: Duration
  /** The `nonce` parameter: a value never used before with this key, e.g. `crypto.randomUUID()`. Default: none. */
  readonly nonce?: string
  /** The `tag` parameter: the application or profile the signature is meant for. Default: none. */
  readonly tag?: string
  /** The label of the signature in both headers. Default: `'sig1'`. */
  readonly label?: string
  /** Whether to send the `alg` parameter. Default: `true`. */
  readonly includeAlg?: boolean
  /** For a response: the request it answers, which components with `;req` are read from. Default: none. */
  readonly request?: HttpRequestLike
  /**
   * Structured fields to re-serialize with `;sf` besides the known ones (signature, digest,
   * priority, cache and proxy status fields), by lower-case name: `{ 'example-dict': 'dictionary' }`.
   * Default: none.
   */
  readonly structuredFields?: Readonly<Record<string, StructuredFieldType>>
  /** The clock for the default `created`. Default: `Date.now`. */
  readonly clock?: Clock
}

/** What {@link signMessage} produces. */
export interface MessageSignature {
  /** The label. */
  readonly label: string
  /**
   * The `Signature-Input` value, e.g. `sig1=("@method" "@path");created=1618884473;keyid="k1"`.
   * Set the header to it, or append it with `", "` to a message already signed by someone else.
   */
  readonly signatureInput: string
  /** The `Signature` value, e.g. `sig1=:K2qGT5srn2OGbOIDzQ6kYT+ruaycnDAAUpKv+ePFfD0=:`; set or append like `signatureInput`. */
  readonly signature: string
  /** The exact text signed (RFC 9421 §2.5), for debugging a verifier that disagrees. */
  readonly signatureBase: string
}

const optionsSchema = v.strictObject({
  key: v.custom<CryptoKey>(
    isCryptoKey,
    'Expected a CryptoKey from crypto.subtle or importMessageSignatureKey()',
  ),
  keyId: sfStringSchema,
  algorithm: v.optional(
    v.custom<MessageSignatureAlgorithm>(
      isMessageSignatureAlgorithm,
      "Expected 'hmac-sha256', 'ed25519', 'ecdsa-p256-sha256' or 'rsa-pss-sha512'",
    ),
  ),
  components: v.array(v.string()),
  created: v.optional(v.union([v.literal(false), v.pipe(v.number(), v.safeInteger(), v.minValue(0))])),
  expires: v.optional(v.pipe(v.number(), v.safeInteger(), v.minValue(0))),
  expiresIn: v.optional(v.unknown()),
  nonce: v.optional(sfStringSchema),
  tag: v.optional(sfStringSchema),
  label: v.optional(labelSchema),
  includeAlg: v.optional(v.boolean()),
  request: v.optional(
    v.custom<HttpRequestLike>(
      (x) => typeof x === 'object' && x !== null && isHttpRequestLike(x as HttpRequestLike),
      'Expected a request { method, url, headers }',
    ),
  ),
  structuredFields: v.optional(structuredFieldsSchema),
  clock: v.optional(clockSchema),
})

function resolveExpires(
  parsed: v.InferOutput<typeof optionsSchema>,
  created: number | undefined,
): number | undefined {
  if (parsed.expiresIn === undefined) return parsed.expires
  if (parsed.expires !== undefined)
    configError('signMessage.expiresIn', 'cannot be combined with expires: keep one.')
  if (created === undefined)
    configError('signMessage.expiresIn', 'needs created: it counts from the creation time.')
  return created + Math.ceil(parseDuration('signMessage.expiresIn', parsed.expiresIn) / 1000)
}

/**
 * Signs a request or a response with an RFC 9421 HTTP message signature. The message is not
 * changed: set (or append) the returned `Signature-Input` and `Signature` values on it.
 *
 * Throws a `SecConfigError` for invalid options (naming the option), and a `SignatureBaseError`
 * when the message lacks a covered component (a missing header, query parameter or status).
 *
 * @example
 * const body = JSON.stringify({ text: 'hello' })
 * const headers = new Headers({ 'content-type': 'application/json', 'content-digest': await contentDigest(body) })
 * const request = new Request('https://api.example.com/v1/notes', { method: 'POST', headers, body })
 * const signed = await signMessage(request, {
 *   key, keyId: 'client-1',
 *   components: ['@method', '@authority', '@path', '@query', 'content-type', 'content-digest'],
 *   nonce: crypto.randomUUID(),
 * })
 * request.headers.set('signature-input', signed.signatureInput)
 * request.headers.set('signature', signed.signature)
 */
export async function signMessage(
  message: HttpMessageLike,
  options: SignMessageOptions,
): Promise<MessageSignature> {
  const parsed = parseOptions('signMessage', optionsSchema, options)
  let algorithm: MessageSignatureAlgorithm
  try {
    algorithm = keyAlgorithmFor(parsed.key, 'sign')
  } catch (error) {
    if (error instanceof UnsupportedSignatureKeyError) return configError('signMessage.key', error.message)
    throw error
  }
  if (parsed.algorithm !== undefined && parsed.algorithm !== algorithm)
    configError(
      'signMessage.algorithm',
      `is ${parsed.algorithm} but the key signs ${algorithm}: drop the option or use a matching key.`,
    )
  const structuredFields = resolveStructuredFields('signMessage.structuredFields', parsed.structuredFields)
  const components = resolveComponents('signMessage.components', parsed.components, structuredFields)
  const created =
    parsed.created === false
      ? undefined
      : (parsed.created ?? Math.floor((parsed.clock ?? systemClock).now() / 1000))
  const expires = resolveExpires(parsed, created)
  if (expires !== undefined && created !== undefined && expires <= created)
    configError('signMessage.expires', 'must be later than created.')

  const params = new Map<string, SfBareItem>()
  if (created !== undefined) params.set('created', sfInteger(created))
  if (expires !== undefined) params.set('expires', sfInteger(expires))
  params.set('keyid', sfString(parsed.keyId))
  if (parsed.includeAlg !== false) params.set('alg', sfString(algorithm))
  if (parsed.nonce !== undefined) params.set('nonce', sfString(parsed.nonce))
  if (parsed.tag !== undefined) params.set('tag', sfString(parsed.tag))
  const signatureParams = serializeSfInnerList({
    kind: 'inner-list',
    items: components.map((id) => id.item),
    params,
  })

  const label = parsed.label ?? 'sig1'
  const related = parsed.request === undefined ? undefined : requestParts(parsed.request)
  const signatureBase = createSignatureBase(
    components,
    signatureParams,
    messageParts(message),
    related,
    structuredFields,
  )
  const signature = await signBytes(algorithm, parsed.key, signatureBaseBytes(signatureBase))
  return {
    label,
    signatureInput: `${label}=${signatureParams}`,
    signature: `${label}=:${encodeBase64(signature)}:`,
    signatureBase,
  }
}
