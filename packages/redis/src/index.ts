/**
 * Redis stores for @sec on ioredis, shared by every instance of an app, on a single Redis or a
 * Redis Cluster: rate limits (one atomic round trip per decision), revoked token ids, API keys,
 * refresh tokens, and the nonces of signed requests and webhook deliveries.
 *
 * @packageDocumentation
 */

export { redisApiKeyStore } from './api-keys/redis-api-key-store.js'
export type { RedisApiKeyStoreOptions } from './api-keys/redis-api-key-store-options.js'
export type { RedisClient } from './client/redis-client.js'
export { RedisStoreError, type RedisStoreErrorCode } from './errors/redis-store-error.js'
export { type RedisNonceStore, redisNonceStore } from './nonce/redis-nonce-store.js'
export type { RedisNonceStoreOptions } from './nonce/redis-nonce-store-options.js'
export { type RedisStore, redisStore } from './ratelimit/redis-store.js'
export type { RedisStoreOptions } from './ratelimit/redis-store-options.js'
export {
  type RedisRefreshTokenStore,
  redisRefreshTokenStore,
} from './refresh-tokens/redis-refresh-token-store.js'
export type { RedisRefreshTokenStoreOptions } from './refresh-tokens/redis-refresh-token-store-options.js'
export { type RedisRevocationStore, redisRevocationStore } from './revocation/redis-revocation-store.js'
export type { RedisRevocationStoreOptions } from './revocation/redis-revocation-store-options.js'
