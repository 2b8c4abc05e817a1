/**
 * Redis stores for @sec on ioredis: rate limits shared by every instance of an app, one atomic
 * round trip per decision, on a single Redis or a Redis Cluster.
 *
 * @packageDocumentation
 */
export type { RedisClient } from './client/redis-client.js'
export { RedisStoreError, type RedisStoreErrorCode } from './errors/redis-store-error.js'
export { type RedisStore, redisStore } from './ratelimit/redis-store.js'
export type { RedisStoreOptions } from './ratelimit/redis-store-options.js'
