import type { IncomingMessage, ServerResponse } from 'node:http'
import { assertGuards, type Guard } from '@sec/core'
import { stringParams } from '@sec/node'
import type { NextFunction, Request, Response } from 'express'
import { applyOutcome } from './apply-outcome.js'
import { mountedSecurity, notMounted } from './mounted-security.js'

/**
 * The middleware `secure.route()` returns. It is typed on Node's request and response, as
 * `express.json()` is, so that it fits any route and Express still infers `req.params` from the
 * route's path for the handlers after it.
 */
export type SecureRouteHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  next: (error?: unknown) => void,
) => Promise<void>

/**
 * Route-level middleware: runs more guards (authentication, validation, a stricter rate limit) on
 * a request `secure(security)` already allowed, with the route's `req.params`.
 */
export function secureRoute(...guards: Guard[]): SecureRouteHandler {
  assertGuards(guards, 'secure.route', 'validate({ ... })')
  return async function secureRoute(incoming, outgoing, next) {
    // Express hands every middleware its own request and response objects.
    const req = incoming as Request
    const security = mountedSecurity(req)
    if (security === undefined) throw notMounted('secure.route()')
    const outcome = await security.resume(req.security, { guards, params: stringParams(req.params) })
    if (applyOutcome(req, outgoing as Response, outcome)) (next as NextFunction)()
  }
}
