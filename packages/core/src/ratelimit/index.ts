export type {
  LimitAlgorithm,
  LimitDecision,
  LimitPolicy,
  RateLimitStore,
} from './limit-policy.js'
export type { LimitCallOptions, LimitSource, RateLimiter, RateLimitResult } from './rate-limiter.js'
