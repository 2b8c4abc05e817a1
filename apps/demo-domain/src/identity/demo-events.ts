import type { GuardContext, SecurityEvent } from '@sec/core'
import type { LoginFailure } from './user-directory.js'

/** The request fields every demo event carries, as the pipeline's own events do. */
interface DemoEventBase {
  /** When it happened, ms since the epoch, from the demo's clock. */
  readonly time: number
  /** The request's id. */
  readonly requestId: string
  /** The method, e.g. `POST`. */
  readonly method: string
  /** The path, without the query string. */
  readonly path: string
  /** The client IP as resolved through the trusted proxies. */
  readonly clientIp: string | undefined
}

/** A login with a wrong password or an unknown username. Never carries the password. */
export interface LoginFailedEvent extends DemoEventBase {
  readonly type: 'auth.login-failed'
  /** The username tried, lower-cased (it passed `usernamePattern`, so it is short and ASCII). */
  readonly account: string
  /** For server logs only: the caller gets the same 401 for both. */
  readonly reason: LoginFailure
}

/** A login held back by the slow-down before its password was checked. */
export interface LoginSlowedEvent extends DemoEventBase {
  readonly type: 'auth.login-slowed'
  readonly account: string
  /** How long it was held, in ms. */
  readonly delay: number
}

/**
 * A refresh token presented again after it was spent: it was copied, so its whole session (refresh
 * tokens and live access tokens) has just been revoked.
 */
export interface RefreshReusedEvent extends DemoEventBase {
  readonly type: 'auth.refresh-reused'
}

/** The events of the demo's sign-in, which `@sec/core`'s `SecurityEvent` has no type for. */
export type DemoAuthEvent = LoginFailedEvent | LoginSlowedEvent | RefreshReusedEvent

/** Every event a demo emits: the pipeline's and its own. */
export type DemoEvent = SecurityEvent | DemoAuthEvent

/**
 * Receives the demo's events. It is given to `createSecurity` too, so it also receives every
 * pipeline event (`request.completed`, `ratelimit.denied` for login lockouts, …). It must not throw.
 */
export type DemoEventSink = (event: DemoEvent) => void

/** A demo event without the request fields {@link emitDemoEvent} fills in. */
export type DemoEventDetails = DemoAuthEvent extends infer E
  ? E extends DemoAuthEvent
    ? Omit<E, keyof DemoEventBase>
    : never
  : never

/** The request a demo event is about: a guard's context, or the fields of an outcome. */
export interface EventSource {
  readonly time: number
  readonly requestId: string
  readonly method: string
  readonly path: string
  readonly clientIp: string | undefined
}

/** The request fields of an event raised while a guard checks `ctx`. */
export function eventSourceOf(ctx: GuardContext): EventSource {
  return {
    time: ctx.now(),
    requestId: ctx.requestId,
    method: ctx.request.method,
    path: ctx.path,
    clientIp: ctx.client.ip,
  }
}

/** Sends an event to every sink; a sink that throws is ignored, as the pipeline does, so the request goes on. */
export function emitDemoEvent(
  sinks: readonly DemoEventSink[],
  source: EventSource,
  details: DemoEventDetails,
): void {
  if (sinks.length === 0) return
  const event = { ...details, ...source } as DemoAuthEvent
  for (const sink of sinks) {
    try {
      sink(event)
    } catch {
      // A failing log must not fail the login it reports.
    }
  }
}
