import type { Security } from '@sec/core'
import type { NextRequest } from 'next/server.js'
import type { SecureRouteOptions } from './options.js'
import { type RouteHandler, type RouteParams, secureRoute } from './with-security.js'

function noContent(): Response {
  return new Response(null, { status: 204 })
}

/**
 * An `OPTIONS` route handler for CORS preflights. Next.js answers `OPTIONS` itself when a route
 * exports no `OPTIONS`, without running any guard: export this instead, so the `cors()` guard
 * answers the preflight (204 with the `Access-Control-Allow-*` headers, or a 403 problem for an
 * origin it refuses). An `OPTIONS` request that no guard answers gets an empty 204 with the
 * outcome's headers.
 *
 * @example
 * // app/v1/notes/route.ts
 * export const OPTIONS = preflight(security, { peer })
 */
export function preflight<TParams extends object = RouteParams, TRequest extends Request = NextRequest>(
  security: Security,
  options?: SecureRouteOptions,
): RouteHandler<TParams, TRequest> {
  return secureRoute<TParams, TRequest>('preflight', security, noContent, options)
}
