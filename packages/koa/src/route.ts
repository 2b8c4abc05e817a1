import { assertGuards, type Guard } from '@sec/core'
import { stringParams } from '@sec/node'
import type { Middleware } from 'koa'
import { applyOutcome } from './apply-outcome.js'
import { mountedSecurity, notMounted, type SecurityState } from './mounted-security.js'

/**
 * Route-level middleware: runs more guards (authentication, validation, a stricter rate limit) on
 * a request `secure(security)` already allowed, with the route's `ctx.params` (as `@koa/router`
 * sets them).
 */
export function secureRoute(...guards: Guard[]): Middleware<SecurityState> {
  assertGuards(guards, 'secure.route', 'validate({ ... })')
  return async function secureRoute(ctx, next) {
    const security = mountedSecurity(ctx)
    if (security === undefined) throw notMounted('secure.route()')
    const params = (ctx as { params?: Readonly<Record<string, unknown>> }).params
    const outcome = await security.resume(ctx.state.security, { guards, params: stringParams(params) })
    if (applyOutcome(ctx, outcome)) await next()
  }
}
