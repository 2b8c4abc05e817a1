import type { Security } from '@sec/core'
import { type NextRequest, NextResponse } from 'next/server.js'
import { checkRouteOptions, checkSecurity, type SecureRouteOptions } from './options.js'
import { earlyResponse, webHeaders } from './outcome-response.js'
import { webSecurityRequest } from './web-security-request.js'

/** A Next.js proxy function, as {@link secureProxy} returns it. */
export type SecureProxy = (request: NextRequest) => Promise<Response>

/**
 * A function for `proxy.ts` (Next.js 16's `middleware.ts`) that runs the guards before Next
 * routes the request: it returns the guards' response when they end the request, and otherwise
 * continues with `NextResponse.next()` carrying the outcome's headers to the response.
 *
 * A proxy cannot see the response Next sends later, so for requests it lets through it neither
 * removes headers (`outcome.removeHeaders`) nor reports a status to `outcome.finish()`: those
 * requests emit no `request.completed` event. Use {@link withSecurity} on route handlers for that,
 * and keep guards from running twice (proxy and route) for the same request with the proxy's
 * `config.matcher`.
 *
 * @example
 * // proxy.ts
 * export const proxy = secureProxy(security, { peer })
 * export const config = { matcher: ['/((?!_next/static|_next/image|favicon.ico).*)'] }
 */
export function secureProxy(security: Security, options?: SecureRouteOptions): SecureProxy {
  checkSecurity('secureProxy', security)
  const { guards, peer } = checkRouteOptions('secureProxy', options)
  const route = guards === undefined ? undefined : { guards }
  return async (request) => {
    const outcome = await security.protect(webSecurityRequest(request, peer(request)), route)
    if (outcome.response === undefined) return NextResponse.next({ headers: webHeaders(outcome.headers) })
    const response = earlyResponse(outcome.response)
    outcome.finish({ status: response.status })
    return response
  }
}
