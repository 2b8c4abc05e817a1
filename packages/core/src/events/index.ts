export type {
  EventSink,
  GuardEvent,
  RateLimitDeniedEvent,
  RateLimitStoreEvent,
  RequestCompletedEvent,
  RequestErrorEvent,
  SecurityEvent,
  Verdict,
} from './security-event.js'
