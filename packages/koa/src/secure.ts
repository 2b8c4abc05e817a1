import { isSecurity, type Outcome, SecConfigError, type Security } from '@sec/core'
import { applyErrorHeaders, fromNodeRequest, reportFinish } from '@sec/node'
import type { Context, Middleware } from 'koa'
import { answer, applyOutcome } from './apply-outcome.js'
import { mountSecurity, type SecurityState } from './mounted-security.js'

/**
 * Answers an error thrown downstream with problem+json, as Koa's own `ctx.onerror` would answer it
 * with text: every header set so far is dropped (it described the response that failed), then
 * the exposed error's own headers and the problem response's (security headers included) are set.
 * The error is still emitted on the app, so `app.on('error')` logging keeps working. An error after
 * the response started cannot be answered: the connection is closed and Koa handles the error.
 */
function answerError(ctx: Context, security: Security, outcome: Outcome, error: unknown): void {
  if (ctx.headerSent || !ctx.writable) {
    // Too late for a problem: Koa would log the error and leave the client waiting on a response
    // that never ends, so cut the connection and let Koa log it.
    ctx.res.destroy()
    throw error
  }
  ctx.app.emit('error', error, ctx)
  const early = security.errorResponse(error, outcome)
  for (const name of ctx.res.getHeaderNames()) ctx.res.removeHeader(name)
  applyErrorHeaders(ctx.res, error)
  answer(ctx, outcome, early)
}

/**
 * Whether Koa can read the request's path. `ctx.path` goes through the legacy `url.parse`, which
 * throws a `URIError` on some malformed targets (`/\\%ZZ@a#`); every router reads it, so such a
 * request would otherwise become a 500 downstream. It is the client's error: a 400.
 */
function hasReadablePath(ctx: Context): boolean {
  try {
    return ctx.path !== undefined
  } catch {
    return false
  }
}

/** Whether nothing downstream answered the request: Koa's default 404 with no body. */
function unanswered(ctx: Context): boolean {
  return ctx.status === 404 && ctx.body == null && ctx.respond !== false && !ctx.headerSent
}

/**
 * The app-wide middleware: runs `security.protect` on every request and stores the outcome on
 * `ctx.state.security`. It answers denials and CORS preflights itself; otherwise it sets the
 * outcome's headers and runs the rest of the app, then turns a thrown error or an unanswered
 * request (404) into problem+json with the security headers. The final status is reported to
 * `outcome.finish()` when the response closes.
 */
export function secureApp(security: Security): Middleware<SecurityState> {
  if (!isSecurity(security)) {
    throw new SecConfigError('secure(security)', 'Expected the Security that createSecurity() returns.')
  }
  return async function secure(ctx, next) {
    const outcome = await security.protect(fromNodeRequest(ctx.req, { url: ctx.originalUrl }))
    mountSecurity(ctx, security, outcome)
    reportFinish(ctx.res, outcome)
    if (!applyOutcome(ctx, outcome)) return
    if (!hasReadablePath(ctx)) {
      answer(ctx, outcome, security.statusResponse(400, outcome))
      return
    }
    try {
      await next()
    } catch (error) {
      answerError(ctx, security, outcome, error)
      return
    }
    if (unanswered(ctx)) answer(ctx, outcome, security.statusResponse(404, outcome))
  }
}
