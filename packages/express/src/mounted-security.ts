import { type Outcome, SecError, type Security } from '@sec/core'
import type { Request } from 'express'

/** Shared across copies of this package (ESM and CJS builds) so a lookup never misses. */
const securityKey = Symbol.for('@sec/express.security')

type Mounted = Outcome & { [securityKey]?: Security }

/**
 * Remembers which `Security` protected the request, for route guards and the error handlers. It
 * rides on the outcome, an object of ours, because every new property of an Express request costs
 * microseconds (each request object has a shape of its own once Express swaps its prototype), so
 * the request takes only `req.security`.
 */
export function mountSecurity(req: Request, security: Security, outcome: Outcome): void {
  ;(outcome as Mounted)[securityKey] = security
  req.security = outcome
}

/** The `Security` that `secure()` ran with, or `undefined` when it did not run for this request. */
export function mountedSecurity(req: object): Security | undefined {
  return ((req as { security?: Outcome }).security as Mounted | undefined)?.[securityKey]
}

/** The error for a piece of the adapter used without `secure(security)` in front of it. */
export function notMounted(what: string): SecError {
  return new SecError(
    'SEC_NOT_MOUNTED',
    `${what} needs secure(security) to run first: add app.use(secure(security)) before your routes.`,
  )
}
