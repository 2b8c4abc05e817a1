import {
  type ApiKeys,
  apiKey,
  bearer,
  catalogProblem,
  challenge,
  type Decision,
  deny,
  formatBearerChallenge,
  type Guard,
  type TokenVerifier,
} from '@sec/core'

/** The realm of every `WWW-Authenticate` challenge of the demo. */
export const demoRealm = 'api'

/** The request header that carries an API key; never the query string. */
export const apiKeyHeader = 'X-API-Key'

const refusalKey = Symbol('demo-domain.credential-refusal')

const bothCredentials = deny(
  catalogProblem('invalid-request', {
    detail: 'Send one credential: an Authorization: Bearer token or an X-API-Key header, not both.',
  }),
  { 'www-authenticate': formatBearerChallenge(demoRealm, { error: 'invalid_request' }) },
)

const tokenRequired = challenge(
  catalogProblem('unauthorized', {
    detail: 'This resource needs an access token: Authorization: Bearer <token>.',
  }),
  { 'www-authenticate': formatBearerChallenge(demoRealm) },
)

/** Options of {@link identify}. */
export interface IdentifyOptions {
  /** Verifies `Authorization: Bearer` access tokens. */
  readonly verifier: TokenVerifier
  /** Verifies `X-API-Key` keys. */
  readonly apiKeys: ApiKeys
}

/**
 * The app-wide half of authentication: finds out who is calling, so that the rate limit after it
 * can count an authenticated caller by user instead of by IP, without refusing anyone itself.
 *
 * A request with an `X-API-Key` header is checked by `@sec/core`'s `apiKey()` guard, any other by
 * its `bearer()` guard; when the credential passes, `ctx.principal` is set. When it does not (or is
 * missing, or both are sent), that guard's refusal is kept for the route: {@link authenticated}
 * and {@link signedIn} answer with it on the routes that need a caller, while routes that do not
 * (`/health`, signing in, refreshing with an expired access token still attached) go on.
 */
export function identify(options: IdentifyOptions): Guard {
  const byToken = bearer({ verifier: options.verifier, realm: demoRealm })
  const byKey = apiKey({ keys: options.apiKeys, header: apiKeyHeader, realm: demoRealm })
  return {
    name: 'identify',
    async check(ctx) {
      const headers = ctx.request.headers
      const hasKey = headers.has(apiKeyHeader)
      const refusal =
        hasKey && headers.has('authorization') ? bothCredentials : await (hasKey ? byKey : byToken).check(ctx)
      if (refusal) ctx.setLocal(refusalKey, refusal)
    },
  }
}

/**
 * A route guard for the Notes API: lets a caller that {@link identify} authenticated by access
 * token or API key through, and answers anyone else with the refusal `identify` kept: 401 with
 * `WWW-Authenticate: Bearer realm="api"` for no credential, 401 `invalid_token` for a bad token,
 * 401 for a bad key, 400 for a malformed header or for two credentials at once.
 */
export function authenticated(): Guard {
  return {
    name: 'authenticated',
    check(ctx) {
      if (ctx.principal !== undefined) return undefined
      return ctx.local<Decision>(refusalKey) ?? tokenRequired
    },
  }
}

/**
 * A route guard for what only a signed-in user may do with their session (sign out, manage API
 * keys): like {@link authenticated}, but an API key is not enough. Keys are for machine clients
 * using the Notes API; a leaked key must not be able to mint more keys.
 */
export function signedIn(): Guard {
  return {
    name: 'signed-in',
    check(ctx) {
      const principal = ctx.principal
      if (principal !== undefined) return principal.kind === 'api-key' ? tokenRequired : undefined
      return ctx.local<Decision>(refusalKey) ?? tokenRequired
    },
  }
}
