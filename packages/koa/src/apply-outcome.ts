import type { EarlyResponse, Outcome } from '@sec/core'
import { applyEarlyHeaders, applyOutcomeHeaders } from '@sec/node'
import type { Context } from 'koa'

/**
 * Answers the request with a response the security layer built, through Koa (status and body on
 * the context) so Koa's own response handling still applies.
 */
export function answer(ctx: Context, outcome: Outcome, early: EarlyResponse): void {
  for (const name of outcome.removeHeaders) ctx.remove(name)
  applyEarlyHeaders(ctx.res, early)
  ctx.status = early.status
  ctx.body = early.body
}

/**
 * Lets a body parser mounted after the guards skip a body the guards already read:
 * `@koa/bodyparser` skips when `ctx.disableBodyParser` is set or `ctx.request.body` is defined.
 * The parsed (and, once validated, typed) body goes to `ctx.request.body`.
 */
function shareBody(ctx: Context, outcome: Outcome): void {
  if (!ctx.req.readableEnded) return
  ;(ctx as Context & { disableBodyParser?: boolean }).disableBodyParser = true
  if (outcome.body !== undefined) (ctx.request as { body?: unknown }).body = outcome.body
}

/**
 * Applies an outcome: answers the request when the guards did (and returns `false`), or sets the
 * outcome's headers and shares the body so the next middleware can run.
 */
export function applyOutcome(ctx: Context, outcome: Outcome): boolean {
  if (outcome.response !== undefined) {
    answer(ctx, outcome, outcome.response)
    return false
  }
  applyOutcomeHeaders(ctx.res, outcome)
  shareBody(ctx, outcome)
  return true
}
