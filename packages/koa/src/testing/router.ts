import type { Context, Middleware, Next } from 'koa'

/** A route of the test router: method, a path with `:name` segments, and its middleware. */
export interface TestRoute {
  readonly method: string
  readonly path: string
  readonly handlers: readonly Middleware[]
}

/** A path segment that is not valid percent-encoding is a client error, as Express and the reference server answer. */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    throw Object.assign(new Error('The path is not valid percent-encoding.'), { status: 400, expose: true })
  }
}

function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  const expected = pattern.split('/')
  const actual = path.split('/')
  if (expected.length !== actual.length) return undefined
  const params: Record<string, string> = {}
  for (let i = 0; i < expected.length; i++) {
    const part = expected[i] as string
    const segment = actual[i] as string
    if (part.startsWith(':')) {
      if (segment === '') return undefined
      params[part.slice(1)] = decodeSegment(segment)
    } else if (part !== segment) return undefined
  }
  return params
}

/**
 * A tiny stand-in for `@koa/router` in tests: the first route whose method and path match runs
 * (a `GET` route also serves `HEAD`), with `ctx.params` set as the router sets them; anything else
 * falls through to `next`.
 */
export function testRouter(routes: readonly TestRoute[]): Middleware {
  return (ctx: Context, next: Next) => {
    for (const route of routes) {
      if (route.method !== ctx.method && !(route.method === 'GET' && ctx.method === 'HEAD')) continue
      // Koa's path comes from the legacy url.parse, which has no pathname for targets such as
      // `/\\a?@#` (read as a host); such a request matches no route, as with @koa/router.
      const path = ctx.path as string | null
      if (path === null) continue
      const params = matchPath(route.path, path)
      if (params === undefined) continue
      ;(ctx as Context & { params: Record<string, string> }).params = params
      const dispatch = (i: number): Promise<unknown> => {
        const handler = route.handlers[i]
        return handler === undefined ? next() : Promise.resolve(handler(ctx, () => dispatch(i + 1)))
      }
      return dispatch(0)
    }
    return next()
  }
}
