export { type ApiKeyGuardOptions, apiKey } from './api-key-guard.js'
export type { ApiKeyMetadata, ApiKeyRecord, ApiKeyStore } from './api-key-store.js'
export {
  type ApiKeyRefusal,
  type ApiKeys,
  type ApiKeysOptions,
  type ApiKeyVerification,
  createApiKeys,
  type IssueApiKeyOptions,
  type IssuedApiKey,
  type RevokeApiKeyOptions,
  type RotateApiKeyOptions,
} from './api-keys.js'
export {
  type ApiKeyEnvironment,
  type ApiKeyKind,
  apiKeyLength,
  apiKeyPrefix,
  apiKeySecretBits,
  formatApiKey,
  generateApiKeyId,
  isApiKeyId,
  looksLikeApiKey,
  type ParsedApiKey,
  parseApiKey,
} from './key-format.js'
export { type ApiKeyHasher, createApiKeyHasher, digestsEqual } from './key-hash.js'
export { type MemoryApiKeyStoreOptions, memoryApiKeyStore } from './memory-api-key-store.js'
