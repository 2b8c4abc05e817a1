import { type Outcome, SecError, type Security } from '@sec/core'
import type { Context } from 'koa'

/** What `secure(security)` adds to `ctx.state`. */
export interface SecurityState {
  /**
   * What @sec decided for this request: the resolved client, the principal, validated input
   * (`ctx.state.security.body`), facts.
   */
  security: Outcome
}

declare module 'koa' {
  interface DefaultState extends SecurityState {}
}

/** Shared across copies of this package (ESM and CJS builds) so a lookup never misses. */
const securityKey = Symbol.for('@sec/koa.security')

type WithSecurity = { [securityKey]?: Security }

/** Remembers which `Security` protected the request, for route guards. */
export function mountSecurity(ctx: Context, security: Security, outcome: Outcome): void {
  ctx.state.security = outcome
  ;(ctx as WithSecurity)[securityKey] = security
}

/** The `Security` that `secure()` ran with, or `undefined` when it did not run for this request. */
export function mountedSecurity(ctx: Context): Security | undefined {
  return (ctx as WithSecurity)[securityKey]
}

/** The error for a route guard used without `secure(security)` in front of it. */
export function notMounted(what: string): SecError {
  return new SecError(
    'SEC_NOT_MOUNTED',
    `${what} needs secure(security) to run first: add app.use(secure(security)) before your router.`,
  )
}
