import * as v from 'valibot'
import { authUnavailableRetryAfter } from '../../auth/auth-unavailable.js'
import { configError, parseOptions } from '../../config/index.js'
import { type Duration, parseDuration } from '../../duration/index.js'
import { type Clock, systemClock } from '../../pipeline/index.js'
import { catalogProblem, SecProblemError } from '../../problem/index.js'
import type { NonceStore } from '../nonce/index.js'
import type { ComponentIdentifier } from './component-identifier.js'
import { type DigestableBody, verifyContentDigest } from './content-digest.js'
import {
  type HttpMessageLike,
  type HttpRequestLike,
  type MessageParts,
  messageParts,
  requestParts,
} from './http-message.js'
import {
  MessageSignatureError,
  type MessageSignatureRefusal,
  SignatureBaseError,
} from './message-signature-errors.js'
import {
  isMessageSignatureAlgorithm,
  keyAlgorithmFor,
  type MessageSignatureAlgorithm,
  verifyBytes,
} from './signature-algorithms.js'
import { createSignatureBase, signatureBaseBytes } from './signature-base.js'
import {
  candidateLabels,
  parseSignatureFields,
  readCandidate,
  type SignatureCandidate,
} from './signature-input.js'
import {
  clockSchema,
  labelSchema,
  resolveComponents,
  resolveStructuredFields,
  sfStringSchema,
  structuredFieldsSchema,
} from './signature-options.js'
import type { StructuredFieldType } from './structured-fields.js'

/**
 * Finds the verification key for a signature's `keyid`, given its `alg` parameter when it has a
 * supported one. Return `undefined` for an unknown key id. The key's own algorithm decides how the
 * signature is checked; an `alg` that names another one is refused.
 */
export type MessageSignatureKeyLookup = (
  keyId: string,
  algorithm: MessageSignatureAlgorithm | undefined,
) => CryptoKey | undefined | Promise<CryptoKey | undefined>

/** Options of {@link createMessageVerifier} and {@link verifyMessage}. */
export interface MessageVerifierOptions {
  /**
   * The key lookup: an HMAC SHA-256 secret, or an Ed25519, ECDSA P-256 or RSA-PSS SHA-512 public
   * key, with the `verify` usage. A key of another kind throws a `SecError` (`SEC_SIGNATURE_KEY`):
   * that is a server bug, not the caller's. Required.
   */
  readonly keys: MessageSignatureKeyLookup
  /**
   * Components every accepted signature must cover, written as for signing. `@target-uri` counts
   * as covering `@scheme`, `@authority`, `@request-target`, `@path`, `@query` and any
   * `@query-param`; `@request-target` as covering `@path`, `@query` and `@query-param`; `@query`
   * as covering `@query-param`.
   * Default: `['@method', '@authority', '@path', '@query']` for requests, `['@status']` for responses.
   */
  readonly requiredComponents?: readonly string[]
  /** How long after `created` a signature is accepted (a duration: ms, or `'30s'`, `'5m'`). Default: `'5m'`. */
  readonly maxAge?: Duration
  /**
   * The difference tolerated between the signer's clock and ours: `created` may be this far in the
   * future, and `expires` and `maxAge` are extended by it. A duration. Default: `'1m'`.
   */
  readonly clockSkew?: Duration
  /** Verify only the signature of this label. Default: any label; the first that verifies is accepted. */
  readonly label?: string
  /** Verify only signatures whose `tag` parameter is this, so a signature made for another application is never accepted. Default: any tag. */
  readonly tag?: string
  /**
   * Records nonces so each is accepted once (`memoryNonceStore()`, or a shared store from
   * `@sec/redis` for several instances), under `rfc9421:<keyid length>:<keyid>:<nonce>` for as long
   * as the signature could still be accepted. When set, a signature without a `nonce` is refused;
   * a store that fails gives a 503 `auth-unavailable`. Default: none (no replay protection).
   */
  readonly nonces?: NonceStore
  /** Structured fields that `;sf` components may name besides the known ones, by lower-case name. Default: none. */
  readonly structuredFields?: Readonly<Record<string, StructuredFieldType>>
  /** The clock. Default: `Date.now`. */
  readonly clock?: Clock
}

/** What one verification may need besides the message. */
export interface VerifyMessageContext {
  /** For a response: the request it answers, for components with `;req`. Default: none. */
  readonly request?: HttpRequestLike
  /**
   * The message body, to check a covered `Content-Digest` against: bytes, text, or a function
   * that reads it (called only when needed). Default: none, and the digest is not checked
   * (`contentDigest: 'not-checked'` in the result).
   */
  readonly body?: DigestableBody | (() => Promise<DigestableBody>)
}

/** What a successful verification tells. */
export interface VerifiedMessageSignature {
  /** The label of the signature that verified. */
  readonly label: string
  /** Its `keyid`. */
  readonly keyId: string
  /** The algorithm of the key that verified it. */
  readonly algorithm: MessageSignatureAlgorithm
  /** The covered components as written in `Signature-Input`, e.g. `["@method", "content-digest"]` (unquoted names, with parameters). */
  readonly components: readonly string[]
  /** `created`, in seconds since the epoch. */
  readonly created: number
  /** `expires`, in seconds since the epoch, when present. */
  readonly expires: number | undefined
  /** The nonce, when present. */
  readonly nonce: string | undefined
  /** The tag, when present. */
  readonly tag: string | undefined
  /**
   * `verified` when the signature covers `content-digest` and the body matched it; `not-checked`
   * when it covers it but no body was given; `not-covered` when it does not cover it.
   */
  readonly contentDigest: 'verified' | 'not-checked' | 'not-covered'
}

/** A verifier with its options resolved once. */
export interface MessageVerifier {
  /** Verifies a message; resolves with what verified, or rejects with a {@link MessageSignatureError}. */
  verify(message: HttpMessageLike, context?: VerifyMessageContext): Promise<VerifiedMessageSignature>
}

/** The resolved options; the guard shares them. */
export interface VerifierPolicy {
  readonly keys: MessageSignatureKeyLookup
  readonly requiredForRequests: readonly ComponentIdentifier[]
  readonly requiredForResponses: readonly ComponentIdentifier[]
  readonly maxAge: number
  readonly clockSkew: number
  readonly label: string | undefined
  readonly tag: string | undefined
  readonly nonces: NonceStore | undefined
  readonly structuredFields: ReadonlyMap<string, StructuredFieldType>
}

/** The option entries the verifier and the guard share. */
export const verifierEntries = {
  keys: v.custom<MessageSignatureKeyLookup>(
    (x) => typeof x === 'function',
    'Expected a function (keyId, alg) => CryptoKey | undefined',
  ),
  requiredComponents: v.optional(v.array(v.string())),
  maxAge: v.optional(v.unknown()),
  clockSkew: v.optional(v.unknown()),
  label: v.optional(labelSchema),
  tag: v.optional(sfStringSchema),
  nonces: v.optional(
    v.custom<NonceStore>(
      (x) => typeof (x as NonceStore | null)?.record === 'function',
      'Expected a nonce store such as memoryNonceStore()',
    ),
  ),
  structuredFields: v.optional(structuredFieldsSchema),
}

const verifierSchema = v.strictObject({ ...verifierEntries, clock: v.optional(clockSchema) })

/** Resolves the shared options once, naming `where` in configuration errors. */
export function resolveVerifierPolicy(
  where: string,
  parsed: {
    readonly keys: MessageSignatureKeyLookup
    readonly requiredComponents?: readonly string[] | undefined
    readonly maxAge?: unknown
    readonly clockSkew?: unknown
    readonly label?: string | undefined
    readonly tag?: string | undefined
    readonly nonces?: NonceStore | undefined
    readonly structuredFields?: Readonly<Record<string, StructuredFieldType>> | undefined
  },
): VerifierPolicy {
  const structuredFields = resolveStructuredFields(`${where}.structuredFields`, parsed.structuredFields)
  const required =
    parsed.requiredComponents === undefined
      ? undefined
      : resolveComponents(`${where}.requiredComponents`, parsed.requiredComponents, structuredFields)
  if (
    required?.some((id) => id.name === '@status') &&
    required.some((id) => id.name !== '@status' && !id.params.has('req'))
  )
    configError(
      `${where}.requiredComponents`,
      'mixes @status (responses) with request components: keep one kind, or use ;req.',
    )
  return {
    keys: parsed.keys,
    requiredForRequests:
      required ?? resolveComponents(where, ['@method', '@authority', '@path', '@query'], structuredFields),
    requiredForResponses: required ?? resolveComponents(where, ['@status'], structuredFields),
    maxAge: parseDuration(`${where}.maxAge`, parsed.maxAge ?? '5m'),
    clockSkew: parseDuration(`${where}.clockSkew`, parsed.clockSkew ?? '1m'),
    label: parsed.label,
    tag: parsed.tag,
    nonces: parsed.nonces,
    structuredFields,
  }
}

const wholeUri = '"@target-uri"'
const requestTarget = '"@request-target"'
const wholeQuery = '"@query"'

/** Whether the covered components bind a required one, directly or through a component that includes it. */
function covers(covered: ReadonlySet<string>, required: ComponentIdentifier): boolean {
  if (covered.has(required.canonical)) return true
  if (required.params.has('req') || !required.name.startsWith('@')) return false
  switch (required.name) {
    case '@scheme':
    case '@authority':
    case '@request-target':
      return covered.has(wholeUri)
    case '@path':
    case '@query':
      return covered.has(wholeUri) || covered.has(requestTarget)
    case '@query-param':
      return covered.has(wholeUri) || covered.has(requestTarget) || covered.has(wholeQuery)
    default:
      return false
  }
}

function refuse(reason: MessageSignatureRefusal, message: string, candidate: SignatureCandidate): never {
  throw new MessageSignatureError(reason, message, candidate.label, candidate.keyId)
}

/**
 * Records a nonce, scoped by the key (two clients may pick the same nonce) and length-prefixed (so
 * no key id and nonce pair can pose as another).
 */
async function recordNonce(store: NonceStore, keyId: string, nonce: string, ttl: number): Promise<boolean> {
  try {
    return await store.record(`rfc9421:${keyId.length}:${keyId}:${nonce}`, ttl)
  } catch {
    throw new SecProblemError(
      catalogProblem('auth-unavailable', {
        detail: 'Signed requests cannot be checked for replays right now. Retry later.',
      }),
      { 'retry-after': String(authUnavailableRetryAfter) },
    )
  }
}

async function readBody(body: NonNullable<VerifyMessageContext['body']>): Promise<DigestableBody> {
  return typeof body === 'function' ? body() : body
}

async function verifyCandidate(
  policy: VerifierPolicy,
  candidate: SignatureCandidate,
  message: MessageParts,
  request: MessageParts | undefined,
  now: number,
  body: VerifyMessageContext['body'],
): Promise<VerifiedMessageSignature> {
  const { label, created, expires } = candidate
  const covered = new Set(candidate.components.map((id) => id.canonical))
  const required = message.kind === 'request' ? policy.requiredForRequests : policy.requiredForResponses
  for (const id of required)
    if (!covers(covered, id))
      refuse('missing-component', `${label} does not cover ${id.serialized}.`, candidate)
  if (created === undefined) refuse('missing-component', `${label} has no created parameter.`, candidate)
  if (policy.nonces !== undefined && candidate.nonce === undefined)
    refuse('missing-component', `${label} has no nonce parameter.`, candidate)
  if (created * 1000 > now + policy.clockSkew)
    refuse('future', `${label} was created in the future.`, candidate)
  const deadline = Math.min(
    created * 1000 + policy.maxAge + policy.clockSkew,
    expires === undefined ? Number.POSITIVE_INFINITY : expires * 1000 + policy.clockSkew,
  )
  if (now > deadline) refuse('expired', `${label} has expired.`, candidate)

  const keyId = candidate.keyId
  if (keyId === undefined) return refuse('unknown-key', `${label} has no keyid parameter.`, candidate)
  const alg = candidate.alg
  if (alg !== undefined && !isMessageSignatureAlgorithm(alg))
    refuse('algorithm-mismatch', `${label} names an unsupported algorithm.`, candidate)
  const key = await policy.keys(keyId, alg)
  if (key === undefined) return refuse('unknown-key', `${label} names an unknown key.`, candidate)
  const algorithm = keyAlgorithmFor(key, 'verify')
  if (alg !== undefined && alg !== algorithm)
    refuse('algorithm-mismatch', `${label} names another algorithm than its key's.`, candidate)

  let base: Uint8Array<ArrayBuffer>
  try {
    base = signatureBaseBytes(
      createSignatureBase(
        candidate.components,
        candidate.signatureParams,
        message,
        request,
        policy.structuredFields,
      ),
    )
  } catch (error) {
    if (!(error instanceof SignatureBaseError)) throw error
    refuse(error.kind === 'absent' ? 'bad-signature' : 'malformed', `${label}: ${error.message}`, candidate)
  }
  if (!(await verifyBytes(algorithm, key, candidate.signature, base)))
    refuse('bad-signature', `${label} does not verify.`, candidate)

  let contentDigest: VerifiedMessageSignature['contentDigest'] = 'not-covered'
  if (candidate.components.some((id) => id.name === 'content-digest' && !id.params.has('req'))) {
    contentDigest = 'not-checked'
    if (body !== undefined) {
      if (!(await verifyContentDigest(message.headers.get('content-digest'), await readBody(body))))
        refuse('digest-mismatch', 'The body does not match its Content-Digest.', candidate)
      contentDigest = 'verified'
    }
  }
  if (policy.nonces !== undefined && candidate.nonce !== undefined) {
    // One millisecond past the deadline: the store must still hold the nonce at the last instant it is accepted.
    const ttl = Math.max(1, Math.ceil(deadline - now) + 1)
    if (!(await recordNonce(policy.nonces, keyId, candidate.nonce, ttl)))
      refuse('replayed', `The nonce of ${label} was already used.`, candidate)
  }
  return {
    label,
    keyId,
    algorithm,
    components: candidate.components.map((id) => id.name + id.serialized.slice(id.name.length + 2)),
    created,
    expires,
    nonce: candidate.nonce,
    tag: candidate.tag,
    contentDigest,
  }
}

/**
 * Verifies the signatures of a message's parts with a resolved policy: each signature that the
 * label and tag select, in order, until one verifies. Rejects with the first one's refusal when
 * none does.
 */
export async function verifyWithPolicy(
  policy: VerifierPolicy,
  message: MessageParts,
  request: MessageParts | undefined,
  now: number,
  body: VerifyMessageContext['body'],
): Promise<VerifiedMessageSignature> {
  const fields = parseSignatureFields(
    joinedField(message, 'signature-input'),
    joinedField(message, 'signature'),
  )
  const labels = candidateLabels(fields, policy.label, policy.tag)
  if (labels.length === 0)
    throw new MessageSignatureError(
      'missing-header',
      'No signature has the label or tag this verifier accepts.',
    )
  let first: MessageSignatureError | undefined
  for (const label of labels) {
    try {
      return await verifyCandidate(
        policy,
        readCandidate(fields, label, policy.structuredFields),
        message,
        request,
        now,
        body,
      )
    } catch (error) {
      if (!(error instanceof MessageSignatureError)) throw error
      first ??= error
    }
  }
  throw first
}

function joinedField(message: MessageParts, name: string): string | null {
  const lines = message.headers.getAll?.(name)
  if (lines === undefined) return message.headers.get(name)
  return lines.length === 0 ? null : lines.join(', ')
}

/**
 * A verifier of RFC 9421 HTTP message signatures, its options checked once (a `SecConfigError`
 * names a bad one). See {@link MessageVerifierOptions} for what is refused, and
 * {@link MessageSignatureError} for the reasons.
 *
 * @example
 * const verifier = createMessageVerifier({
 *   keys: (keyId) => clientKeys.get(keyId),
 *   requiredComponents: ['@method', '@authority', '@path', '@query', 'content-digest'],
 * })
 * const { keyId } = await verifier.verify(request, { body: () => request.clone().arrayBuffer() })
 */
export function createMessageVerifier(options: MessageVerifierOptions): MessageVerifier {
  const parsed = parseOptions('createMessageVerifier', verifierSchema, options)
  const policy = resolveVerifierPolicy('createMessageVerifier', parsed)
  const clock = parsed.clock ?? systemClock
  return {
    verify(message, context = {}) {
      const related = context.request === undefined ? undefined : requestParts(context.request)
      return verifyWithPolicy(policy, messageParts(message), related, clock.now(), context.body)
    },
  }
}

/**
 * Verifies a message once: {@link createMessageVerifier} with `options`, then `verify` with the
 * `request` and `body` among them. Prefer the verifier for more than one message.
 */
export async function verifyMessage(
  message: HttpMessageLike,
  options: MessageVerifierOptions & VerifyMessageContext,
): Promise<VerifiedMessageSignature> {
  const { request, body, ...verifierOptions } = options
  return createMessageVerifier(verifierOptions).verify(message, {
    ...(request !== undefined && { request }),
    ...(body !== undefined && { body }),
  })
}
