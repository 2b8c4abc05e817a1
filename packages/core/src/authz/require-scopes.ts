import * as v from 'valibot'
import { configError, parseOptions } from '../config/index.js'
import { challenge, deny, type Guard, type GuardResult } from '../pipeline/index.js'
import { catalogProblem } from '../problem/index.js'
import {
  bearerChallenge,
  checkRealm,
  checkScope,
  defaultRealm,
  insufficientScopeChallenge,
} from './bearer-challenge.js'

/** Options of {@link requireScopes}, given after the scopes. */
export interface RequireScopesOptions {
  /**
   * Whether the principal needs `'all'` the listed scopes or `'any'` one of them. Default: `'all'`.
   */
  readonly match?: 'all' | 'any'
  /**
   * The realm named in `WWW-Authenticate: Bearer realm="…"`. Printable ASCII without `"` and `\`.
   * Default: `'api'`. Use the same realm as your bearer guard so clients see one protection space.
   */
  readonly realm?: string
}

const optionsSchema = v.strictObject({
  match: v.optional(v.picklist(['all', 'any'], "Expected 'all' or 'any'")),
  realm: v.optional(v.string()),
})

function isOptions(value: unknown): value is RequireScopesOptions {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * A guard that lets a request through only when its principal holds the listed scopes (from
 * `principal.scopes`, as bearer tokens and API keys set it). Scopes are compared exactly.
 *
 * - No principal: `401` problem `unauthorized` with `WWW-Authenticate: Bearer realm="api"`, and
 *   no error code, as RFC 6750 §3.1 asks for a request that carried no credentials.
 * - A missing scope: `403` problem `insufficient-scope` with
 *   `WWW-Authenticate: Bearer realm="api", error="insufficient_scope", scope="notes:read notes:write"`
 *   listing every scope the route names.
 *
 * Put it after the authentication guard. The scopes and options are checked now; per request the
 * guard does one `includes` per required scope.
 *
 * @example
 * requireScopes('notes:write')
 * requireScopes('notes:read', 'notes:admin', { match: 'any' })
 */
export function requireScopes(...scopes: string[]): Guard
export function requireScopes(...args: [...scopes: string[], options: RequireScopesOptions]): Guard
export function requireScopes(...args: (string | RequireScopesOptions)[]): Guard {
  const last = args[args.length - 1]
  const options = isOptions(last) ? last : undefined
  const listed = options === undefined ? args : args.slice(0, -1)
  const parsed = parseOptions('requireScopes.options', optionsSchema, options)
  if (listed.length === 0)
    configError('requireScopes', "needs at least one scope, e.g. requireScopes('notes:read').")
  const required = [...new Set(listed.map((scope, i) => checkScope(`requireScopes.scopes[${i}]`, scope)))]
  const realm = checkRealm('requireScopes.options.realm', parsed.realm ?? defaultRealm)
  const anyOf = parsed.match === 'any'
  const unauthenticated = catalogProblem('unauthorized')
  const unauthenticatedHeaders = { 'www-authenticate': bearerChallenge(realm) }
  const insufficient = catalogProblem('insufficient-scope')
  const insufficientHeaders = { 'www-authenticate': insufficientScopeChallenge(realm, required) }

  function satisfied(granted: unknown): boolean {
    if (!Array.isArray(granted)) return false
    if (anyOf) {
      for (const scope of required) if (granted.includes(scope)) return true
      return false
    }
    for (const scope of required) if (!granted.includes(scope)) return false
    return true
  }

  return {
    name: 'require-scopes',
    check(ctx): GuardResult {
      const principal = ctx.principal
      if (principal === undefined) return challenge(unauthenticated, unauthenticatedHeaders)
      if (!satisfied(principal.scopes)) return deny(insufficient, insufficientHeaders)
      return
    },
  }
}
