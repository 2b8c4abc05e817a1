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
