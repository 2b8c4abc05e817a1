import { deny, type Guard, type GuardResult, respond } from '../pipeline/index.js'
import { catalogProblem } from '../problem/index.js'
import { type CorsOptions, type CorsPolicy, resolveCorsPolicy } from './cors-options.js'
import { parseFieldNames } from './field-names.js'
import { createVaryAppender } from './vary.js'

/**
 * What the cors guards that already ran on a request did, so that a later one (a route's) can
 * replace their answer: `answered` when one set Access-Control-* headers on an actual request or
 * allowed a preflight, `preflight-denied` when one refused a preflight.
 */
type CorsState = 'answered' | 'preflight-denied'
const corsState = Symbol('cors')

const accessControlHeaders = [
  'access-control-allow-origin',
  'access-control-allow-credentials',
  'access-control-expose-headers',
  'access-control-allow-methods',
  'access-control-allow-headers',
  'access-control-max-age',
]

const refusals = {
  origin: 'This origin may not make cross-origin requests here.',
  method: 'The requested method is not allowed in cross-origin requests.',
  malformedHeaders: 'Access-Control-Request-Headers is not a list of header names.',
  header: 'A requested header is not allowed in cross-origin requests.',
}

function preflightRefusal(
  policy: CorsPolicy,
  origin: string,
  method: string,
  requestedHeaders: string | null,
): string | undefined {
  if (!policy.allowsOrigin(origin)) return refusals.origin
  if (!policy.methods.has(method)) return refusals.method
  if (requestedHeaders === null) return undefined
  const names = parseFieldNames(requestedHeaders)
  if (names === undefined) return refusals.malformedHeaders
  for (const name of names) if (!policy.allowedHeaders.has(name)) return refusals.header
  return undefined
}

/**
 * A guard that answers CORS. It is an `always` guard, so a problem response from an earlier guard
 * (a 401, a 429) still carries the CORS headers a browser needs to let the page read it.
 *
 * - A request without `Origin` gets no CORS headers.
 * - An actual request from an allowed origin gets `Access-Control-Allow-Origin` (its origin, or `*`
 *   for `origins: '*'`), `Access-Control-Allow-Credentials: true` with credentials, and
 *   `Access-Control-Expose-Headers`. From any other origin it gets none and goes on: the browser
 *   withholds the response from the page, while same-origin pages and non-browser clients, which do
 *   not need CORS, keep working.
 * - A preflight (`OPTIONS` with `Origin` and `Access-Control-Request-Method`) from an allowed origin,
 *   for an allowed method and allowed headers, is answered `204` (reason `cors-preflight`) with the
 *   allowed methods and headers and `Access-Control-Max-Age`. Otherwise it is refused with a `403`
 *   problem (`cors-denied`) without any Access-Control-* header, and the browser never sends the
 *   actual request.
 * - `Vary: Origin` is added to every response whose answer depends on the origin (all but
 *   `origins: '*'`), with or without `Origin`, so a shared cache never serves one origin's answer to
 *   another; preflights also vary on `Access-Control-Request-Method` and
 *   `Access-Control-Request-Headers`. Existing `Vary` tokens are kept.
 *
 * Per-route policies: a route's cors guard runs after the app's and replaces its answer (it first
 * removes the Access-Control-* headers the earlier one set). Preflights are usually answered by the
 * app-level guard, before route guards run; a route guard that still sees the preflight can narrow
 * that answer (when it refuses, the `204` goes out without Access-Control-* headers, which browsers
 * treat as a failed preflight) but cannot widen a refusal, whose `403` is already decided.
 *
 * Options are checked and every header value is built now; per request the guard does a `Set`
 * lookup and a few header `set` calls.
 *
 * @example
 * cors({ origins: ['https://app.example.com'], credentials: true, methods: ['GET', 'POST', 'DELETE'] })
 */
export function cors(options: CorsOptions): Guard {
  const policy = resolveCorsPolicy(options)
  const varyOnOrigin = policy.anyOrigin ? undefined : createVaryAppender(['Origin'])
  const varyPreflight = createVaryAppender(
    policy.anyOrigin
      ? ['Access-Control-Request-Method', 'Access-Control-Request-Headers']
      : ['Origin', 'Access-Control-Request-Method', 'Access-Control-Request-Headers'],
  )

  return {
    name: 'cors',
    always: true,
    check(ctx): GuardResult {
      const responseHeaders = ctx.responseHeaders
      const earlier = ctx.local<CorsState>(corsState)
      if (earlier === 'answered') for (const name of accessControlHeaders) responseHeaders.delete(name)
      const request = ctx.request
      const origin = request.headers.get('origin')
      const requestedMethod =
        request.method === 'OPTIONS' ? request.headers.get('access-control-request-method') : null

      if (origin === null || requestedMethod === null) {
        varyOnOrigin?.(responseHeaders)
        if (origin === null || !policy.allowsOrigin(origin)) return
        ctx.setLocal(corsState, 'answered')
        responseHeaders.set('access-control-allow-origin', policy.anyOrigin ? '*' : origin)
        if (policy.credentials) responseHeaders.set('access-control-allow-credentials', 'true')
        if (policy.exposeHeaders !== undefined)
          responseHeaders.set('access-control-expose-headers', policy.exposeHeaders)
        return
      }

      varyPreflight(responseHeaders)
      if (earlier === 'preflight-denied') return
      const refusal = preflightRefusal(
        policy,
        origin,
        requestedMethod,
        request.headers.get('access-control-request-headers'),
      )
      if (refusal !== undefined) {
        ctx.setLocal(corsState, 'preflight-denied')
        return deny(catalogProblem('cors-denied', { detail: refusal }))
      }
      ctx.setLocal(corsState, 'answered')
      responseHeaders.set('access-control-allow-origin', policy.anyOrigin ? '*' : origin)
      if (policy.credentials) responseHeaders.set('access-control-allow-credentials', 'true')
      responseHeaders.set('access-control-allow-methods', policy.allowMethods)
      if (policy.allowHeaders !== undefined)
        responseHeaders.set('access-control-allow-headers', policy.allowHeaders)
      responseHeaders.set('access-control-max-age', policy.maxAge)
      return respond('cors-preflight', 204)
    },
  }
}
