/**
 * Express 5 adapter for @sec.
 *
 * @packageDocumentation
 */
import type { Guard, Outcome, Security } from '@sec/core'
import type { ErrorRequestHandler, RequestHandler } from 'express'
import { secureErrorHandler, secureNotFound } from './error-handlers.js'
import { type SecureRouteHandler, secureRoute } from './route.js'
import { secureApp } from './secure.js'

export type { SecureRouteHandler } from './route.js'

// Declared here, in the entry module, so the bundled type declarations keep it.
declare global {
  namespace Express {
    interface Request {
      /**
       * What @sec decided for this request: the resolved client, the principal, validated input
       * (`req.security.body`), facts. Set by `secure(security)`; read it in handlers.
       */
      security: Outcome
    }
  }
}

/** The shape of {@link secure}: the app-wide middleware factory and its route and error companions. */
export interface Secure {
  /**
   * The app-wide middleware; mount it first, before body parsers and routes. It runs
   * `security.protect` on each request, stores the outcome on `req.security`, answers denials and
   * CORS preflights itself, and otherwise sets the security headers and calls `next()`. Express's
   * `X-Powered-By` header is removed. Throws `SecConfigError` when `security` is not what
   * `createSecurity()` returns.
   *
   * @example
   * app.use(secure(security))
   */
  (security: Security): RequestHandler
  /**
   * Route-level guards, run after the app-wide ones with the route's `req.params`. Throws
   * `SecConfigError` at once when an argument is not a guard; a request that reaches it without
   * `secure(security)` in front fails with a `SecError` (`SEC_NOT_MOUNTED`). Express still infers
   * `req.params` from the route's path for the handlers after it.
   *
   * @example
   * app.post('/v1/notes', secure.route(body(), validate({ body: NoteSchema })), (req, res) => {
   *   res.status(201).json(createNote(req.security.body))
   * })
   */
  route(...guards: Guard[]): SecureRouteHandler
  /**
   * The not-found handler; mount it after every route. Answers `404` with
   * `{"type":"about:blank","title":"Not Found","status":404}` and the security headers.
   */
  notFound(): RequestHandler
  /**
   * The error handler; mount it last. Turns any error into problem+json through
   * `security.errorResponse`, keeping the security headers.
   */
  errorHandler(): ErrorRequestHandler
}

/**
 * Secures an Express 5 app with a `Security` from `createSecurity()`.
 *
 * @example
 * const app = express()
 * app.use(secure(security))
 * app.get('/v1/notes/:id', secure.route(validate({ params: NoteParams })), (req, res) => { ... })
 * app.use(secure.notFound())
 * app.use(secure.errorHandler())
 */
export const secure: Secure = Object.assign(secureApp, {
  route: secureRoute,
  notFound: secureNotFound,
  errorHandler: secureErrorHandler,
})
