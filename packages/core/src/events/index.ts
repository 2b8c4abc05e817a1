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
} from './security-event.js'
