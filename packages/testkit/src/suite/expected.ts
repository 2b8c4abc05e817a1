import type { NormalizedResponse } from './normalize-response.js'

/** Normalized response headers by lower-case name. */
export type HeaderMap = Readonly<Record<string, string>>

/** The origin the conformance app's cors guard allows. */
export const allowedOrigin = 'https://app.example.com'

/** The `Host` the suite sends unless a case says otherwise. */
export const appHost = 'api.example.com'

/** What `headers('api')` puts on every response, problem responses and preflights included. */
export const securityHeaders: HeaderMap = {
  'cache-control': 'no-store',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy':
    'accelerometer=(), bluetooth=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), hid=(), idle-detection=(), magnetometer=(), microphone=(), midi=(), payment=(), screen-wake-lock=(), serial=(), usb=(), xr-spatial-tracking=()',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
}

/** Headers that advertise the server software; no response may carry them. */
export const forbiddenHeaders = ['x-powered-by', 'server'] as const

/** `Strict-Transport-Security` of `https()`'s default `hsts`, sent only over HTTPS. */
export const hsts: HeaderMap = { 'strict-transport-security': 'max-age=31536000; includeSubDomains' }

/** What the cors guard adds to an actual request from the allowed origin. */
export const corsActual: HeaderMap = {
  'access-control-allow-origin': allowedOrigin,
  'access-control-allow-credentials': 'true',
  'access-control-expose-headers':
    'RateLimit, RateLimit-Policy, Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset',
}

/** `Vary` of every response but a preflight's: the CORS answer depends on `Origin`. */
export const varyOrigin: HeaderMap = { vary: 'Origin' }

/** `Vary` of a preflight's answer, allowed or refused. */
export const varyPreflight: HeaderMap = {
  vary: 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers',
}

/** What the cors guard answers to an allowed preflight (204, no body), on any path. */
export const allowedPreflightHeaders: HeaderMap = {
  ...securityHeaders,
  ...varyPreflight,
  'access-control-allow-origin': allowedOrigin,
  'access-control-allow-credentials': 'true',
  'access-control-allow-methods': 'GET, HEAD, POST',
  'access-control-allow-headers': 'Content-Type, Authorization',
  'access-control-max-age': '600',
}

/** The headers of a handler's answer without a body (204): only what the guards set, plus `extra`. */
export function emptyHeaders(extra: HeaderMap = {}): HeaderMap {
  return { ...securityHeaders, ...varyOrigin, ...extra }
}

/** The headers of a JSON response from a handler, plus `extra`. */
export function jsonHeaders(extra: HeaderMap = {}): HeaderMap {
  return { ...securityHeaders, ...varyOrigin, 'content-type': 'application/json; charset=utf-8', ...extra }
}

/** The headers of a problem response, plus `extra`. */
export function problemHeaders(extra: HeaderMap = {}): HeaderMap {
  return { ...securityHeaders, ...varyOrigin, 'content-type': 'application/problem+json', ...extra }
}

/** The body of a catalogued problem, as `JSON.stringify` writes it: extensions first. */
export function problemBody(
  reason: string,
  title: string,
  status: number,
  extensions: Readonly<Record<string, unknown>> = {},
): string {
  return JSON.stringify({ ...extensions, type: `urn:sec:problem:${reason}`, title, status })
}

/** The body of a bare status problem (`about:blank`), as frameworks' 404s and thrown 4xx errors give. */
export function statusBody(status: number, title: string): string {
  return JSON.stringify({ type: 'about:blank', title, status })
}

/** What a random correlation id is replaced with in a normalized body. */
export const correlationIdPlaceholder = '<correlation-id>'

/** A refusal of the `bearer()` guard: the problem and its `WWW-Authenticate` challenge (realm `api`). */
function bearerRefusal(
  status: number,
  reason: string,
  title: string,
  detail: string,
  challenge: string,
  extra: HeaderMap,
): NormalizedResponse {
  return {
    status,
    headers: problemHeaders({ 'www-authenticate': `Bearer realm="api"${challenge}`, ...extra }),
    body: problemBody(reason, title, status, { detail }),
  }
}

/** No bearer credential at all (or another scheme): 401 without an error code (RFC 6750 §3.1). */
export function bearerMissing(extra: HeaderMap = {}): NormalizedResponse {
  return bearerRefusal(
    401,
    'unauthorized',
    'Unauthorized',
    'This resource needs an access token: Authorization: Bearer <token>.',
    '',
    extra,
  )
}

/** A token that fails any check: the same 401 `invalid_token` whatever failed. */
export const bearerInvalid: NormalizedResponse = bearerRefusal(
  401,
  'unauthorized',
  'Unauthorized',
  'The access token is not valid.',
  ', error="invalid_token"',
  {},
)

/** An `Authorization` header that is not one valid `Bearer` credential: 400 `invalid_request`. */
export const bearerMalformed: NormalizedResponse = bearerRefusal(
  400,
  'invalid-request',
  'Invalid Request',
  'The Authorization header is not a valid Bearer credential.',
  ', error="invalid_request"',
  {},
)

/** A valid token without a scope the route needs: 403 `insufficient_scope` naming the route's scopes. */
export function bearerInsufficientScope(scopes: string): NormalizedResponse {
  return bearerRefusal(
    403,
    'insufficient-scope',
    'Insufficient Scope',
    'The access token does not grant the scopes this resource needs.',
    `, error="insufficient_scope", scope="${scopes}"`,
    {},
  )
}

/** The `WWW-Authenticate` challenge of the `apiKey()` guard reading `X-API-Key`, plus its error. */
export function apiKeyChallenge(error = ''): HeaderMap {
  return { 'www-authenticate': `ApiKey realm="api", header="X-API-Key"${error}` }
}

/** What `noCredentialsInUrl()` answers for a query naming `parameters` (as listed, lower-case). */
export function credentialsInUrl(parameters: readonly string[]): NormalizedResponse {
  return {
    status: 400,
    headers: problemHeaders(),
    body: problemBody('credentials-in-url', 'Credentials In URL', 400, {
      detail:
        'Credentials must not be sent in the URL, where logs, proxies and browser history keep them. Send them in a header such as Authorization, or in the body.',
      parameters,
    }),
  }
}
