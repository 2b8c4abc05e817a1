export {
  anonymousRateLimit,
  createDemoRateLimits,
  type DemoRateLimitOptions,
  type DemoRateLimits,
  searchRateLimit,
} from './demo-rate-limits.js'
export {
  createDemoSecurity,
  type DemoRoutes,
  type DemoSecurity,
  type DemoSecurityOptions,
  demoOrigin,
  noteBodyLimit,
} from './demo-security.js'
