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

/** Emitted when a rate limit denies a request. */
export interface RateLimitDeniedEvent extends EventBase {
  readonly type: 'ratelimit.denied'
  /** The limiter that denied, by name. */
  readonly limiter: string
  /**
   * The key that was limited, prefixed by its kind: `ip:<ip key>`, `user:<id>`, `custom:<value>`;
   * an API key only as `key:` (or `key-id:` for an API-key principal's id) followed by the first
   * 16 hex digits of its SHA-256, never raw; a value too long or malformed to store as is as
   * `user#` / `custom#` and its hash.
   */
  readonly key: string
  /** ms until the same request would be admitted. */
  readonly retryAfter: number
}

/** Emitted when a limiter's store stops answering, and when it answers again. Not tied to a request. */
export interface RateLimitStoreEvent {
  readonly type: 'ratelimit.store-unavailable' | 'ratelimit.store-recovered'
  /** When it happened, ms since the epoch. */
  readonly time: number
  /** The limiter, by name. */
  readonly limiter: string
  /** The store's kind, e.g. `redis`. */
  readonly store: string
  /** What the limiter does while the store is down: `insurance`, `fail-open` or `fail-closed`. */
  readonly fallback: 'insurance' | 'fail-open' | 'fail-closed'
  /** For `store-unavailable`: the error or timeout that tripped it, for server-side logs only. */
  readonly error?: unknown
}

/**
 * Emitted when a presented credential is refused: a bearer token that fails verification, or an
 * API key that is malformed, unknown, revoked, expired, of another environment or of a kind the
 * route does not accept. A request without any credential emits nothing (it is not an attempt).
 */
export interface AuthRejectedEvent extends EventBase {
  readonly type: 'auth.rejected'
  /** What was presented. */
  readonly scheme: 'bearer' | 'api-key' | 'sigv4' | 'message-signature' | 'webhook' | 'stripe-webhook'
  /**
   * Why, for server-side logs (the caller only sees `invalid_token`): a bearer token's
   * `InvalidTokenReason` (`expired`, `signature`, `revoked`, …) or an API key's `ApiKeyRefusal`
   * (`unknown`, `mismatch`, `revoked`, …), `kind` for a key of a kind the guard does not accept, or
   * `in-url` for a key sent in the query string; for signed requests and webhooks the refusal's
   * `reason` (`bad-signature`, `expired`, `replayed`, …).
   */
  readonly reason: string
  /**
   * An API key's id (the non-secret part) when the key was well formed, or a signed request's
   * access key id / key id; never a key or a secret.
   */
  readonly keyId: string | undefined
}

/**
 * Emitted when a credential could not be checked because something it depends on did not answer:
 * for a bearer token the issuer's keys (a remote JWKS), an introspection endpoint or the
 * revocation store; for an API key its store. The request got a 503.
 */
export interface AuthUnavailableEvent extends EventBase {
  readonly type: 'auth.unavailable'
  readonly scheme: 'bearer' | 'api-key'
  /** The fetch error or timeout, for server-side logs only. */
  readonly error: unknown
}

/** Every event @sec emits. */
export type SecurityEvent =
  | RequestCompletedEvent
  | RequestErrorEvent
  | RateLimitDeniedEvent
  | RateLimitStoreEvent
  | AuthRejectedEvent
  | AuthUnavailableEvent

type WithoutRequestFields<Event> = Event extends EventBase ? Omit<Event, keyof EventBase> : never

/** An event a guard emits, without the fields the pipeline fills in (time, request id, method, path, client IP). */
export type GuardEvent = WithoutRequestFields<RateLimitDeniedEvent | AuthRejectedEvent | AuthUnavailableEvent>

/** Receives events. It must not throw; if it does, the error is swallowed so the request goes on. */
export type EventSink = (event: SecurityEvent) => void
