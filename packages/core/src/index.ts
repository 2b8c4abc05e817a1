export * from './apikeys/index.js'
export * from './auth/index.js'
export * from './authz/index.js'
export * from './body/index.js'
export * from './client-ip/index.js'
export * from './cors/index.js'
export { type Duration, parseDuration } from './duration/index.js'
export { SecConfigError, SecError } from './errors/index.js'
export type {
  AuthRejectedEvent,
  AuthUnavailableEvent,
  EventSink,
  GuardEvent,
  RateLimitDeniedEvent,
  RateLimitStoreEvent,
  RequestCompletedEvent,
  RequestErrorEvent,
  SecurityEvent,
  Verdict,
} from './events/index.js'
export * from './headers/index.js'
export * from './https/index.js'
export * from './pipeline/index.js'
export * from './problem/index.js'
export * from './ratelimit/index.js'
export * from './request/index.js'
export * from './signing/index.js'
export * from './tokens/index.js'
export * from './url-credentials/index.js'
export * from './validation/index.js'
export * from './webhooks/index.js'
