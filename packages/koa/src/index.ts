/**
 * Koa 3 middleware for @sec.
 *
 * @packageDocumentation
 */
import type { Guard, Security } from '@sec/core'
import type { Middleware } from 'koa'
import type { SecurityState } from './mounted-security.js'
import { secureRoute } from './route.js'
import { secureApp } from './secure.js'

export type { SecurityState } from './mounted-security.js'

/** The shape of {@link secure}: the app-wide middleware factory and its route companion. */
export interface Secure {
  /**
   * The app-wide middleware; mount it first, before body parsers and routers. It runs
   * `security.protect` on each request, stores the outcome on `ctx.state.security`, answers
   * denials and CORS preflights itself, and otherwise sets the security headers and runs the rest
   * of the app. Errors thrown downstream become problem+json through `security.errorResponse`
   * (keeping the security headers, and still emitted on the app for logging); a request nothing
   * answered becomes a 404 problem. Throws `SecConfigError` when `security` is not what
   * `createSecurity()` returns.
   *
   * @example
   * app.use(secure(security))
   */
  (security: Security): Middleware<SecurityState>
  /**
   * Route-level guards, run after the app-wide ones with the route's `ctx.params`. Throws
   * `SecConfigError` at once when an argument is not a guard; a request that reaches it without
   * `secure(security)` in front fails with a `SecError` (`SEC_NOT_MOUNTED`).
   *
   * @example
   * router.post('/v1/notes', secure.route(body(), validate({ body: NoteSchema })), (ctx) => {
   *   ctx.status = 201
   *   ctx.body = createNote(ctx.state.security.body)
   * })
   */
  route(...guards: Guard[]): Middleware<SecurityState>
}

/**
 * Secures a Koa 3 app with a `Security` from `createSecurity()`.
 *
 * @example
 * const app = new Koa()
 * app.use(secure(security))
 * app.use(router.routes())
 */
export const secure: Secure = Object.assign(secureApp, { route: secureRoute })
