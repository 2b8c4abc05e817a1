import { SecError } from '../../errors/index.js'

/**
 * Why a message signature was refused; stable, and sent as the `reason` of the guard's 401 problem:
 * - `missing-header`: no `Signature-Input` or `Signature` header, or no signature with the
 *   label or tag the verifier asks for;
 * - `malformed`: a header that is not a valid structured field, a signature missing from
 *   `Signature` or not a byte sequence, parameters of the wrong type, a component identifier that
 *   is invalid, unsupported (`;tr`, an unknown derived component or parameter) or listed twice;
 * - `expired`: `expires` has passed, or `created` is older than the verifier's `maxAge`;
 * - `future`: `created` is later than now plus the allowed clock skew;
 * - `unknown-key`: no `keyid`, or no key for it;
 * - `algorithm-mismatch`: the `alg` parameter names another algorithm than the key's;
 * - `bad-signature`: the signature does not verify, or the message lacks a component it covers;
 * - `missing-component`: the signature does not cover a required component, or lacks a
 *   parameter the verifier requires (`created`, a `nonce` when a nonce store is set);
 * - `digest-mismatch`: the body does not match the signed `Content-Digest`;
 * - `replayed`: the nonce was already used.
 */
export type MessageSignatureRefusal =
  | 'missing-header'
  | 'malformed'
  | 'expired'
  | 'future'
  | 'unknown-key'
  | 'algorithm-mismatch'
  | 'bad-signature'
  | 'missing-component'
  | 'digest-mismatch'
  | 'replayed'

/**
 * Thrown by verification when a message's signature is refused. The message says what failed in
 * terms of the request (a component, a parameter); it never holds a signature or a key.
 */
export class MessageSignatureError extends SecError {
  /** Why, stable. */
  readonly reason: MessageSignatureRefusal
  /** The label of the signature that was refused, when one was chosen. */
  readonly label: string | undefined
  /** Its `keyid`, when it had one. */
  readonly keyId: string | undefined

  constructor(reason: MessageSignatureRefusal, message: string, label?: string, keyId?: string) {
    super('SEC_MESSAGE_SIGNATURE', message)
    this.reason = reason
    this.label = label
    this.keyId = keyId
  }
}

/**
 * Thrown when a signature base cannot be built: `unsupported` for a component identifier that is
 * invalid or does not apply to the message (`@status` on a request, `;tr`), `absent` for a
 * component the message does not have (a missing header, query parameter or dictionary key).
 */
export class SignatureBaseError extends SecError {
  /** Which of the two. */
  readonly kind: 'unsupported' | 'absent'

  constructor(kind: 'unsupported' | 'absent', message: string) {
    super('SEC_SIGNATURE_BASE', message)
    this.kind = kind
  }
}
