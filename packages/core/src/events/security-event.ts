/** The verdict of a request. */
export type Verdict = 'allow' | 'deny' | 'challenge'

interface EventBase {
  /** When it happened, ms since the epoch, from the configured clock. */
  readonly time: number
  /** The request's id, also sent to the caller as `correlationId` on a 500. */
  readonly requestId: string
  /** The method, e.g. `POST`. */
  readonly method: string
  /** The path, without the query string (which may hold secrets). */
  readonly path: string
  /** The client IP as resolved through the trusted proxies. */
  readonly clientIp: string | undefined
}

/** Emitted once per request, when the adapter reports the final status. */
export interface RequestCompletedEvent extends EventBase {
  readonly type: 'request.completed'
  readonly verdict: Verdict
  /** Why it was denied or answered early (a problem reason such as `cors-denied`); `undefined` when allowed. */
  readonly reason: string | undefined
  /** The guard that decided, when one did. */
  readonly guard: string | undefined
  /** The status sent. */
  readonly status: number
  /** The authenticated principal's id, if any. */
  readonly principalId: string | undefined
}

/** Emitted when an unexpected error became a 500. The caller only sees `requestId` as `correlationId`. */
export interface RequestErrorEvent extends EventBase {
  readonly type: 'request.error'
  /** The thrown value, for server-side logs only; never sent to the caller. */
  readonly error: unknown
}

/** Every event @sec emits. */
export type SecurityEvent = RequestCompletedEvent | RequestErrorEvent

/** Receives events. It must not throw; if it does, the error is swallowed so the request goes on. */
export type EventSink = (event: SecurityEvent) => void
