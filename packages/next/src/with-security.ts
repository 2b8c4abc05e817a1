import type { Outcome, RouteSecurity, Security } from '@sec/core'
import type { NextRequest } from 'next/server.js'
import { isNextControlFlow } from './next-control-flow.js'
import { checkRouteOptions, checkSecurity, type SecureRouteOptions } from './options.js'
import { earlyResponse, withOutcomeHeaders } from './outcome-response.js'
import { webSecurityRequest } from './web-security-request.js'

/** The params of a dynamic route as Next.js passes them: catch-all segments are arrays. */
export type RouteParams = Record<string, string | string[] | undefined>

/** The second argument Next.js passes a route handler. */
export interface NextRouteContext<TParams extends object = RouteParams> {
  /** The dynamic route params; a promise since Next.js 15. */
  readonly params: Promise<TParams>
}

/** The second argument of a handler wrapped by {@link withSecurity}: Next's context plus the outcome. */
export interface SecureRouteContext<TParams extends object = RouteParams> extends NextRouteContext<TParams> {
  /**
   * The outcome of the guards: the resolved client, the principal, the validated input
   * (`security.body`), facts, and the request id.
   */
  readonly security: Outcome
}

/** A route handler that receives the outcome of the guards. */
export type SecureRouteHandler<
  TParams extends object = RouteParams,
  TRequest extends Request = NextRequest,
> = (request: TRequest, context: SecureRouteContext<TParams>) => Response | Promise<Response>

/** A Next.js route handler, as {@link withSecurity} returns it. */
export type RouteHandler<TParams extends object = RouteParams, TRequest extends Request = NextRequest> = (
  request: TRequest,
  context: NextRouteContext<TParams>,
) => Promise<Response>

const noParams: Promise<RouteParams> = Promise.resolve({})

/** Route params as the guards see them: one string each, catch-all segments joined with `/`. */
function flatParams(params: object): Readonly<Record<string, string>> {
  const flat: Record<string, string> = {}
  for (const [name, value] of Object.entries(params)) {
    if (typeof value === 'string') flat[name] = value
    else if (Array.isArray(value)) flat[name] = value.join('/')
  }
  return flat
}

/**
 * Wraps a Next.js App Router route handler: runs the app-wide guards of `security` and the
 * route's `guards`, returns the guards' response when they end the request (a problem, a
 * preflight answer), and otherwise calls `handler(request, { params, security })` and puts the
 * outcome's headers on its response. An error the handler throws becomes a problem response: a
 * `SecProblemError` keeps its problem, an error with a 4xx `status`/`statusCode` becomes a bare
 * problem of that status, anything else a 500 whose only detail is a `correlationId` (and the error
 * is logged with `console.error`, as Next.js does). Next's own control-flow errors (`redirect()`,
 * `notFound()`) are rethrown for Next to handle. The final status goes to `outcome.finish()`.
 *
 * The route params are awaited before the guards run, so route guards (such as
 * `validate({ params })`) see them; the handler still gets Next's `params` promise.
 *
 * @example
 * // app/v1/notes/[id]/route.ts
 * export const GET = withSecurity<{ id: string }>(
 *   security,
 *   async (request, { params, security }) => Response.json(await notes.get((await params).id, security.principal)),
 *   { guards: [validate({ params: NoteParams })], peer },
 * )
 */
export function withSecurity<TParams extends object = RouteParams, TRequest extends Request = NextRequest>(
  security: Security,
  handler: SecureRouteHandler<TParams, TRequest>,
  options?: SecureRouteOptions,
): RouteHandler<TParams, TRequest> {
  return secureRoute('withSecurity', security, handler, options)
}

/** {@link withSecurity}, with the name of the public factory that option errors should name. */
export function secureRoute<TParams extends object, TRequest extends Request>(
  where: string,
  security: Security,
  handler: SecureRouteHandler<TParams, TRequest>,
  options: SecureRouteOptions | undefined,
): RouteHandler<TParams, TRequest> {
  checkSecurity(where, security)
  if (typeof handler !== 'function') {
    throw new TypeError(`${where}(security, handler, options?): handler must be a route handler function.`)
  }
  const { guards, peer } = checkRouteOptions(where, options)

  return async (request, context) => {
    const params = context?.params ?? (noParams as Promise<TParams>)
    const route: RouteSecurity = {
      params: flatParams((await params) ?? {}),
      ...(guards !== undefined && { guards }),
    }
    const securityRequest = webSecurityRequest(request, peer(request))
    const outcome = await security.protect(securityRequest, route)
    let response: Response
    if (outcome.response !== undefined) {
      response = earlyResponse(outcome.response)
    } else {
      try {
        const forHandler = await securityRequest.forHandler(request)
        response = withOutcomeHeaders(
          await handler(forHandler, { ...context, params, security: outcome }),
          outcome,
        )
      } catch (error) {
        if (isNextControlFlow(error)) throw error
        const early = security.errorResponse(error, outcome)
        if (early.status >= 500) console.error(error)
        response = earlyResponse(early)
      }
    }
    outcome.finish({ status: response.status })
    return response
  }
}
