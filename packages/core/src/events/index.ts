export type {
  EventSink,
  RequestCompletedEvent,
  RequestErrorEvent,
  SecurityEvent,
  Verdict,
} from './security-event.js'
