import * as v from 'valibot'
import { configError, parseOptions } from '../config/index.js'
import { challenge, deny, type Guard, type GuardContext, type GuardResult } from '../pipeline/index.js'
import { catalogProblem } from '../problem/index.js'
import { bearerChallenge, checkRealm, defaultRealm } from './bearer-challenge.js'
import type { Policy } from './policy.js'

/** Options of {@link authorize}. */
export interface AuthorizeOptions<TResource = unknown, TEnvironment = unknown> {
  /**
   * Loads the resource the route acts on, typically by `ctx.params.id`. When it returns
   * `undefined` (or `null`), the guard answers `404` `not-found`, exactly as for a resource the
   * caller may not see. The loaded resource is put in `facts.resource` for the handler, so it need
   * not load it again. Default: none (the action is on a collection: list, create).
   */
  readonly resource?: (
    ctx: GuardContext,
  ) => TResource | undefined | null | Promise<TResource | undefined | null>
  /** Builds the environment conditions see. Default: none (`environment` is `undefined`). */
  readonly environment?: (ctx: GuardContext) => TEnvironment
  /**
   * Whether a denial on a loaded resource answers `404` `not-found` instead of `403` `forbidden`,
   * so that callers cannot probe which ids exist. Default: `true` for `GET` and `HEAD` requests
   * with a `resource`, `false` otherwise. For writes, prefer `visibleWith`: a `DELETE` answered
   * `403` for a note and `404` for a missing one would tell which notes exist.
   */
  readonly hideWhenDenied?: boolean
  /**
   * An action that decides visibility, usually the read action (`'notes:read'`): on a denial, the
   * guard answers `404` when the caller may not perform it on the resource either, and `403` when
   * it may (it sees the resource, it just may not do this to it). Needs `resource`; replaces
   * `hideWhenDenied`. Default: none.
   */
  readonly visibleWith?: string
  /**
   * The realm named in the `401`'s `WWW-Authenticate: Bearer realm="…"`. Default: `'api'`.
   * Use the same realm as your bearer guard.
   */
  readonly realm?: string
}

const functionSchema = v.custom<(...args: never[]) => unknown>(
  (x) => typeof x === 'function',
  'Expected a function',
)

const optionsSchema = v.strictObject({
  resource: v.optional(functionSchema),
  environment: v.optional(functionSchema),
  hideWhenDenied: v.optional(v.boolean()),
  visibleWith: v.optional(v.pipe(v.string(), v.minLength(1, 'Expected a non-empty action'))),
  realm: v.optional(v.string()),
})

function isPolicy(value: unknown): value is Policy<unknown, unknown> {
  return typeof (value as Policy | null)?.decide === 'function'
}

/**
 * A guard that asks a policy whether the request's principal may perform `action`, on the
 * resource the route loads if it names one. Put it after the authentication guard.
 *
 * - No principal: `401` `unauthorized` with `WWW-Authenticate: Bearer realm="api"`.
 * - `resource` given and it returns nothing: `404` `not-found`.
 * - Denied: `403` `forbidden`, or `404` `not-found` when the resource is hidden from the caller
 *   (see `hideWhenDenied` and `visibleWith`); the `404` is the same as for a missing resource.
 * - Allowed: the request goes on, with the resource in `facts.resource`.
 *
 * Conditions see the pipeline's clock (`ctx.now()`) as `time`. A loader or condition that throws
 * ends the request as any guard error does (a `SecProblemError` keeps its problem, anything else
 * is a 500). Check again in the service layer with `policy.assert`.
 *
 * @example
 * authorize(notesPolicy, 'notes:delete', {
 *   resource: (ctx) => notes.get(ctx.params.id ?? ''),
 *   visibleWith: 'notes:read',
 * })
 */
export function authorize<TResource, TEnvironment>(
  policy: Policy<TResource, TEnvironment>,
  action: string,
  options: AuthorizeOptions<TResource, TEnvironment> = {},
): Guard {
  if (!isPolicy(policy)) configError('authorize.policy', 'Expected a policy made by definePolicy({ ... }).')
  if (typeof action !== 'string' || action === '' || action === '*')
    configError('authorize.action', `Expected an action such as 'notes:read'; got ${JSON.stringify(action)}.`)
  const parsed = parseOptions('authorize.options', optionsSchema, options)
  const load = parsed.resource as AuthorizeOptions<TResource, TEnvironment>['resource']
  const environmentOf = parsed.environment as AuthorizeOptions<TResource, TEnvironment>['environment']
  const visibleWith = parsed.visibleWith
  if (visibleWith !== undefined && load === undefined)
    configError('authorize.options.visibleWith', 'needs a resource loader: add resource: (ctx) => …')
  if (visibleWith !== undefined && parsed.hideWhenDenied !== undefined)
    configError(
      'authorize.options.hideWhenDenied',
      'cannot be set together with visibleWith, which decides when to hide. Remove one.',
    )
  const realm = checkRealm('authorize.options.realm', parsed.realm ?? defaultRealm)
  const unauthenticated = catalogProblem('unauthorized')
  const unauthenticatedHeaders = { 'www-authenticate': bearerChallenge(realm) }
  const forbidden = catalogProblem('forbidden')
  const notFound = catalogProblem('not-found')

  function hidden(ctx: GuardContext, resource: TResource, environment: TEnvironment | undefined): boolean {
    if (visibleWith !== undefined)
      return !policy.decide({
        principal: ctx.principal,
        action: visibleWith,
        resource,
        environment,
        time: ctx.now(),
      }).allowed
    if (parsed.hideWhenDenied !== undefined) return parsed.hideWhenDenied
    const method = ctx.request.method
    return method === 'GET' || method === 'HEAD'
  }

  return {
    name: 'authorize',
    async check(ctx): Promise<GuardResult> {
      const principal = ctx.principal
      if (principal === undefined) return challenge(unauthenticated, unauthenticatedHeaders)
      let resource: TResource | undefined
      if (load !== undefined) {
        const loaded = await load(ctx)
        if (loaded === undefined || loaded === null) return deny(notFound)
        resource = loaded
      }
      const environment = environmentOf?.(ctx)
      const decision = policy.decide({ principal, action, resource, environment, time: ctx.now() })
      if (decision.allowed) {
        if (resource !== undefined) ctx.facts.resource = resource
        return
      }
      if (parsed.hideWhenDenied === true && resource === undefined) return deny(notFound)
      if (resource !== undefined && hidden(ctx, resource, environment)) return deny(notFound)
      return deny(forbidden)
    },
  }
}
