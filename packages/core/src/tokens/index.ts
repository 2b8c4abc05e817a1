export {
  type CodeChallengeMethod,
  codeChallengeS256,
  createCodeVerifier,
  InvalidCodeVerifierError,
  isCodeVerifier,
  verifyCodeChallenge,
} from './pkce.js'
export {
  type ConsumedRefreshToken,
  type MemoryRefreshTokenStore,
  type MemoryRefreshTokenStoreOptions,
  memoryRefreshTokenStore,
  type RefreshTokenState,
  type RefreshTokenStore,
  RefreshTokenStoreFullError,
  type StoredRefreshToken,
} from './refresh-token-store.js'
export { NoSigningKeyError, type SigningAlgorithm, type SigningKey } from './signing-keys.js'
export { RefreshTokenError, type RefreshTokenRefusal, TokenRequestError } from './token-errors.js'
export {
  createTokenIssuer,
  type IssuedTokens,
  retiredKeyGrace,
  type TokenGrant,
  type TokenIssuer,
  type TokenIssuerOptions,
  type TokenResponseBody,
  tokenResponseBody,
} from './token-issuer.js'
