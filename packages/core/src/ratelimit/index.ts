export {
  type RateLimitHeaderMode,
  type RateLimitKey,
  type RateLimitOptions,
  type RateLimitReport,
  rateLimit,
  rateLimitReports,
} from './guard/index.js'
export type {
  LimitAlgorithm,
  LimitDecision,
  LimitPolicy,
  RateLimitStore,
} from './limit-policy.js'
export * from './limiters/index.js'
export {
  type MemoryStore,
  type MemoryStoreClock,
  type MemoryStoreOptions,
  memoryStore,
} from './memory-store.js'
export type {
  InProcessStoreOption,
  LimitCallOptions,
  LimitSource,
  RateLimiter,
  RateLimitResult,
  SyncRateLimiter,
} from './rate-limiter.js'
