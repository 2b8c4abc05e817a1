export {
  anonymousRateLimit,
  authenticatedRateLimit,
  createDemoRateLimits,
  type DemoRateLimitOptions,
  type DemoRateLimits,
  loginAccountRateLimit,
  loginIpRateLimit,
  searchRateLimit,
} from './demo-rate-limits.js'
export {
  createDemoSecurity,
  type DemoRoutes,
  type DemoSecurity,
  type DemoSecurityOptions,
  demoOrigin,
  jwksMaxAge,
  loginSlowDown,
  noteBodyLimit,
  smallBodyLimit,
} from './demo-security.js'
export { publicCache } from './public-cache.js'
