export {
  type ContentDigestAlgorithm,
  contentDigest,
  type DigestableBody,
  verifyContentDigest,
} from './content-digest.js'
export type { HttpHeadersLike, HttpMessageLike, HttpRequestLike, HttpResponseLike } from './http-message.js'
export {
  MessageSignatureError,
  type MessageSignatureRefusal,
  SignatureBaseError,
} from './message-signature-errors.js'
export {
  type MessageSignatureFacts,
  type MessageSignatureGuardOptions,
  messageSignature,
} from './message-signature-guard.js'
export { type MessageSignature, type SignMessageOptions, signMessage } from './sign-message.js'
export {
  algorithmOfKey,
  type MessageSignatureAlgorithm,
  messageSignatureAlgorithms,
  minRsaModulusLength,
  UnsupportedSignatureKeyError,
} from './signature-algorithms.js'
export { maxNonceLength, maxSignaturesPerMessage } from './signature-input.js'
export {
  importMessageSignatureKey,
  type MessageSignatureKeyMaterial,
  minHmacSecretLength,
} from './signature-keys.js'
export type { StructuredFieldType } from './structured-fields.js'
export {
  createMessageVerifier,
  type MessageSignatureKeyLookup,
  type MessageVerifier,
  type MessageVerifierOptions,
  type VerifiedMessageSignature,
  type VerifyMessageContext,
  verifyMessage,
} from './verify-message.js'
