export { formatAmzDate, parseAmzDate } from './amz-date.js'
export {
  type ParsedAuthorization,
  parseSigV4Authorization,
  type SigV4Credential,
} from './authorization-header.js'
export type { SigV4Naming } from './naming.js'
export type {
  HeaderLine,
  SigV4Message,
  SigV4Presignature,
  SigV4Signature,
} from './sign-message.js'
export {
  createSigner,
  type FetchLike,
  type PresignOptions,
  type SignableHeaders,
  type SignableRequest,
  type Signer,
  type SignerOptions,
} from './signer.js'
export { type SigningCrypto, webSigningCrypto } from './signing-crypto.js'
export { type SigV4Facts, type SigV4GuardOptions, sigv4 } from './sigv4-guard.js'
export {
  createSigV4Verifier,
  type SigV4ClientCredentials,
  type SigV4CredentialLookup,
  type SigV4NonceOptions,
  type SigV4Refusal,
  type SigV4Refused,
  type SigV4Verification,
  type SigV4Verified,
  type SigV4Verifier,
  type SigV4VerifierOptions,
  type SigV4VerifyOptions,
  verifySigV4,
} from './verifier.js'
