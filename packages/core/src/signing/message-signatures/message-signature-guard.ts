import * as v from 'valibot'
import { configError, parseOptions } from '../../config/index.js'
import { challenge, type Guard, type GuardResult, type Principal } from '../../pipeline/index.js'
import { catalogProblem, type Problem } from '../../problem/index.js'
import type { RequestHeaders } from '../../request/index.js'
import { parseComponentText } from './component-identifier.js'
import type { MessageParts } from './http-message.js'
import { MessageSignatureError, type MessageSignatureRefusal } from './message-signature-errors.js'
import {
  type MessageVerifierOptions,
  resolveVerifierPolicy,
  type VerifiedMessageSignature,
  type VerifierPolicy,
  verifierEntries,
  verifyWithPolicy,
} from './verify-message.js'

/** Options of {@link messageSignature}: the verifier's, without `clock` (the pipeline's clock is used). */
export interface MessageSignatureGuardOptions extends Omit<MessageVerifierOptions, 'clock'> {
  /**
   * When the signature must cover `content-digest` (checked against the body) besides
   * `requiredComponents`: `'with-body'` for requests that may have a body (a `Transfer-Encoding`,
   * a `Content-Length` other than 0, or no `Content-Length` with a method other than GET, HEAD,
   * OPTIONS, TRACE, DELETE, CONNECT), `'always'`, or `'never'`. Whenever a signature covers
   * `content-digest`, the body is read and checked, required or not. Default: `'with-body'`.
   */
  readonly requireContentDigest?: 'with-body' | 'always' | 'never'
  /** The largest body read to check `Content-Digest`, in bytes; larger gets a 413. Default: `createSecurity`'s `bodyLimit`. */
  readonly bodyLimit?: number
}

/** What the guard records under `facts.messageSignature`: the verified signature, or why it was refused. */
export type MessageSignatureFacts = VerifiedMessageSignature | { readonly rejected: MessageSignatureRefusal }

const details: Readonly<Record<MessageSignatureRefusal, string>> = {
  'missing-header':
    'This resource needs an HTTP message signature: Signature-Input and Signature headers (RFC 9421).',
  malformed: 'The Signature-Input or Signature header is not valid.',
  expired: 'The message signature has expired.',
  future: 'The message signature was created in the future.',
  'unknown-key': 'The message signature names no known key.',
  'algorithm-mismatch': 'The message signature names another algorithm than its key.',
  'bad-signature': 'The message signature does not verify.',
  'missing-component':
    'The message signature does not cover every component or parameter this resource requires.',
  'digest-mismatch': 'The body does not match its Content-Digest.',
  replayed: 'The message signature was already used.',
}

const optionsSchema = v.strictObject({
  ...verifierEntries,
  requireContentDigest: v.optional(
    v.picklist(['with-body', 'always', 'never'], "Expected 'with-body', 'always' or 'never'"),
  ),
  bodyLimit: v.optional(v.pipe(v.number(), v.safeInteger(), v.minValue(0))),
  clock: v.optional(v.unknown()),
})

/** Methods whose requests carry no body unless they declare one. */
const bodilessMethods = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'DELETE', 'CONNECT'])

/**
 * Whether a request may have a body: it declares one (`Transfer-Encoding`, a `Content-Length`
 * other than 0), or its method usually has one and it sends no `Content-Length` (HTTP/2 may leave
 * it out).
 */
function mayHaveBody(method: string, headers: RequestHeaders): boolean {
  if (headers.has('transfer-encoding')) return true
  const length = headers.get('content-length')
  if (length !== null) return length.trim() !== '0'
  return !bodilessMethods.has(method)
}

/**
 * A guard that authenticates requests by RFC 9421 HTTP message signature, verified as
 * {@link createMessageVerifier} describes, and checks the body against a signed `Content-Digest`
 * (RFC 9530). The components come from the request as received: `@authority` and `@scheme` from
 * the resolved client (a trusted proxy's forwarded host and protocol), `@path` and `@query` from
 * the request target undecoded.
 *
 * Every refusal is a 401 `unauthorized` problem whose `reason` extension says why
 * (see {@link MessageSignatureRefusal}); the detail never holds a signature or a key. On success
 * `ctx.principal` becomes `{ id: keyId, kind: 'message-signature', keyId, algorithm }` and
 * `facts.messageSignature` holds the verified signature.
 *
 * Each refusal emits an `auth.rejected` event (`scheme: 'message-signature'`) with the reason and
 * the signature's `keyid` when it had one; a request with neither `Signature-Input` nor `Signature`
 * emits none.
 *
 * @example
 * const signed = messageSignature({
 *   keys: (keyId) => clientKeys.get(keyId),
 *   nonces: nonceStore,
 *   tag: 'notes-api',
 * })
 */
export function messageSignature(options: MessageSignatureGuardOptions): Guard {
  const parsed = parseOptions('messageSignature', optionsSchema, options)
  if (parsed.clock !== undefined)
    configError(
      'messageSignature.clock',
      'is not used by the guard, which takes the time from createSecurity({ clock }). Remove it.',
    )
  const policy = resolveVerifierPolicy('messageSignature', parsed)
  if (
    parsed.requiredComponents !== undefined &&
    policy.requiredForRequests.some((id) => id.name === '@status' || id.params.has('req'))
  )
    configError(
      'messageSignature.requiredComponents',
      'names a response component (@status, ;req): the guard verifies requests.',
    )
  const digest = parseComponentText('content-digest', policy.structuredFields)
  const digestPolicy: VerifierPolicy = policy.requiredForRequests.some(
    (id) => id.canonical === digest.canonical,
  )
    ? policy
    : { ...policy, requiredForRequests: [...policy.requiredForRequests, digest] }
  const requireDigest = parsed.requireContentDigest ?? 'with-body'
  const bodyLimit = parsed.bodyLimit
  const problems = new Map<MessageSignatureRefusal, Problem>(
    Object.entries(details).map(([reason, detail]) => [
      reason as MessageSignatureRefusal,
      catalogProblem('unauthorized', { detail, reason }),
    ]),
  )

  return {
    name: 'message-signature',
    async check(ctx): Promise<GuardResult> {
      const request = ctx.request
      const parts: MessageParts = {
        kind: 'request',
        method: request.method,
        scheme: ctx.client.protocol,
        authority: ctx.client.host,
        target: request.target,
        headers: request.headers,
      }
      const withDigest =
        requireDigest === 'always' ||
        (requireDigest === 'with-body' && mayHaveBody(request.method, request.headers))
      let verified: VerifiedMessageSignature
      try {
        verified = await verifyWithPolicy(
          withDigest ? digestPolicy : policy,
          parts,
          undefined,
          ctx.now(),
          () => (bodyLimit === undefined ? ctx.body() : ctx.body(bodyLimit)),
        )
      } catch (error) {
        if (!(error instanceof MessageSignatureError)) throw error
        ctx.facts.messageSignature = { rejected: error.reason } satisfies MessageSignatureFacts
        if (
          error.reason !== 'missing-header' ||
          request.headers.has('signature') ||
          request.headers.has('signature-input')
        )
          ctx.emit({
            type: 'auth.rejected',
            scheme: 'message-signature',
            reason: error.reason,
            keyId: error.keyId,
          })
        return challenge(problems.get(error.reason) as Problem)
      }
      const principal: Principal = {
        id: verified.keyId,
        kind: 'message-signature',
        keyId: verified.keyId,
        algorithm: verified.algorithm,
      }
      ctx.principal = principal
      ctx.facts.messageSignature = verified satisfies MessageSignatureFacts
      return undefined
    },
  }
}
