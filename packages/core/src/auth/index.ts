export { authUnavailableRetryAfter } from './auth-unavailable.js'
export {
  type BearerFacts,
  type BearerGuardOptions,
  type BearerOptions,
  type BearerWithVerifierOptions,
  bearer,
} from './bearer-guard.js'
export {
  createIntrospectionVerifier,
  type IntrospectionCacheOptions,
  type IntrospectionFetch,
  type IntrospectionVerifierOptions,
} from './introspection/index.js'
export {
  type MemoryRevocationStoreOptions,
  memoryRevocationStore,
  type RevocationStore,
  RevocationStoreFullError,
} from './revocation-store.js'
export { InvalidTokenError, type InvalidTokenReason, KeySourceUnavailableError } from './token-errors.js'
export type { TokenAlgorithm, TokenVerifierOptions } from './token-verifier-options.js'
export {
  createTokenVerifier,
  maxTokenLength,
  type TokenPrincipal,
  type TokenVerifier,
  type VerifiedToken,
  type VerifyTokenOptions,
} from './verify-token.js'
export { type BearerChallenge, type BearerErrorCode, formatBearerChallenge } from './www-authenticate.js'
