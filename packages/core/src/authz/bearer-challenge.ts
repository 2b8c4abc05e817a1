import { formatBearerChallenge, isValidRealm, isValidScope } from '../auth/www-authenticate.js'
import { configError } from '../config/index.js'

/** The realm `WWW-Authenticate: Bearer` challenges name when none is configured. */
export const defaultRealm = 'api'

/** Checks a realm at construction; it is sent quoted in `WWW-Authenticate`. */
export function checkRealm(path: string, realm: string): string {
  if (realm.length === 0 || !isValidRealm(realm))
    configError(
      path,
      `must be printable ASCII without '"' or '\\' (it is sent quoted in WWW-Authenticate); got ${JSON.stringify(realm)}.`,
    )
  return realm
}

/** Checks a scope at construction: an RFC 6749 §3.3 scope token. */
export function checkScope(path: string, scope: unknown): string {
  if (typeof scope !== 'string' || !isValidScope(scope))
    configError(
      path,
      `is not a scope: expected printable ASCII without spaces, '"' or '\\' (RFC 6749 §3.3), e.g. 'notes:read'; got ${JSON.stringify(scope)}.`,
    )
  return scope
}

/** The challenge of a 401 without a principal: `Bearer realm="…"`, no error code (RFC 6750 §3). */
export function bearerChallenge(realm: string): string {
  return formatBearerChallenge(realm)
}

/** The challenge of a 403 for missing scopes, naming every scope the route requires. */
export function insufficientScopeChallenge(realm: string, scopes: readonly string[]): string {
  return formatBearerChallenge(realm, { error: 'insufficient_scope', scopes })
}
