import * as v from 'valibot'
import { configError, parseOptions } from '../config/index.js'
import { type Duration, parseDuration } from '../duration/index.js'
import { isToken } from '../headers/http-syntax.js'
import {
  type CorsOrigin,
  checkOriginPattern,
  createOriginCheck,
  normalizeOrigin,
  type OriginCheck,
} from './allowed-origins.js'

/** Options of `cors()`. */
export interface CorsOptions {
  /**
   * The origins whose pages may read responses. Required.
   * - exact origins, `scheme://host[:port]` as browsers send them: `'https://app.example.com'`,
   *   `'http://localhost:5173'`. Normalized at start-up (case, punycode, default port); a path or
   *   trailing slash is a configuration error.
   * - RegExps anchored with `^` and `$`, for families of origins:
   *   `/^https:\/\/[a-z0-9-]+\.preview\.example\.com$/`. Unanchored patterns, a top-level `|`, an
   *   unescaped `.` before a letter and the `g`, `y` and `m` flags are configuration errors.
   * - `'*'`: any origin, for public data read without credentials. Refused with `credentials: true`.
   *
   * The origin `null` is only allowed when the string `'null'` is listed, and never with
   * credentials: browsers send `Origin: null` from sandboxed iframes, `file:` pages, `data:` URLs
   * and after cross-origin redirects, so any site can produce it by putting its script in a
   * sandboxed iframe. Allowing `null` allows every such page.
   */
  readonly origins: '*' | readonly CorsOrigin[]
  /**
   * Whether allowed origins may send cookies and HTTP authentication and read the response
   * (`Access-Control-Allow-Credentials: true`). Default: `false`. Only turn it on for origins you
   * trust with your users' sessions.
   */
  readonly credentials?: boolean
  /**
   * The methods allowed in preflighted requests, compared case-sensitively as HTTP does (the six
   * standard ones are upper-cased for you, as browsers do). `'*'` is refused: list what your routes
   * accept. Default: `['GET', 'HEAD', 'POST']`; add `'PUT'`, `'PATCH'`, `'DELETE'` where a
   * browser app calls them. Browsers send simple `GET`, `HEAD` and `POST` requests without a
   * preflight, so this list is not what protects those: authorization on the route is.
   */
  readonly methods?: readonly string[]
  /**
   * The request headers allowed in cross-origin requests, compared case-insensitively. `'*'` is
   * refused. Default: `['Content-Type', 'Authorization']`.
   */
  readonly allowedHeaders?: readonly string[]
  /**
   * The response headers a cross-origin page may read besides the CORS-safelisted ones
   * (`Cache-Control`, `Content-Language`, `Content-Length`, `Content-Type`, `Expires`,
   * `Last-Modified`, `Pragma`). `'*'` is refused. Default: the rate-limit headers, `['RateLimit',
   * 'RateLimit-Policy', 'Retry-After', 'X-RateLimit-Limit', 'X-RateLimit-Remaining',
   * 'X-RateLimit-Reset']`, so clients can back off.
   */
  readonly exposedHeaders?: readonly string[]
  /**
   * How long a browser may cache a preflight answer, as a {@link Duration} like every duration in
   * @sec: a number of milliseconds or a string such as `'10m'`, `'2h'`. It must be whole seconds
   * (the header's unit) and at most one day. Default: `'10m'` (sent as `600`). Browsers cap it
   * themselves: Chromium at 7200 seconds, Firefox at 86400, so larger values only delay the moment
   * a policy change reaches them and are refused.
   */
  readonly maxAge?: Duration
}

/** The options of `cors()`, turned once into what each request needs. */
export interface CorsPolicy {
  /** `origins: '*'` (hence without credentials): the answer does not depend on the origin. */
  readonly anyOrigin: boolean
  /** Whether an `Origin` value is allowed. */
  readonly allowsOrigin: OriginCheck
  /** Whether to send `Access-Control-Allow-Credentials: true`. */
  readonly credentials: boolean
  /** The allowed methods, for preflight checks. */
  readonly methods: ReadonlySet<string>
  /** The `Access-Control-Allow-Methods` value. */
  readonly allowMethods: string
  /** The allowed header names, lower-case, for preflight checks. */
  readonly allowedHeaders: ReadonlySet<string>
  /** The `Access-Control-Allow-Headers` value, `undefined` to send none. */
  readonly allowHeaders: string | undefined
  /** The `Access-Control-Expose-Headers` value, `undefined` to send none. */
  readonly exposeHeaders: string | undefined
  /** The `Access-Control-Max-Age` value, in seconds. */
  readonly maxAge: string
}

const defaultMethods = ['GET', 'HEAD', 'POST']
const defaultAllowedHeaders = ['Content-Type', 'Authorization']
const defaultExposedHeaders = [
  'RateLimit',
  'RateLimit-Policy',
  'Retry-After',
  'X-RateLimit-Limit',
  'X-RateLimit-Remaining',
  'X-RateLimit-Reset',
]
const upperCasedMethods = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT'])
const unsendableMethods = new Set(['CONNECT', 'TRACE', 'TRACK'])
const maxAgeLimit = 86_400

const nameList = v.optional(v.array(v.string()))

const optionsSchema = v.strictObject({
  origins: v.optional(v.unknown()),
  credentials: v.optional(v.boolean()),
  methods: nameList,
  allowedHeaders: nameList,
  exposedHeaders: nameList,
  maxAge: v.optional(
    v.union([v.number(), v.string()], "Expected milliseconds as a number or a duration such as '10m'"),
  ),
})

function resolveOrigins(origins: unknown, credentials: boolean): OriginCheck | undefined {
  if (origins !== '*' && !Array.isArray(origins))
    configError('cors.origins', "Expected '*' or a list of origins, e.g. ['https://app.example.com'].")
  if (origins === '*') {
    if (credentials)
      configError(
        'cors.credentials',
        "cannot be true with origins: '*'. Browsers refuse credentialed responses to '*', and reflecting every origin instead would let any site read your users' data. List the origins that may send credentials, e.g. origins: ['https://app.example.com'].",
      )
    return undefined
  }
  if (origins.length === 0)
    configError(
      'cors.origins',
      "is empty. List at least one origin, e.g. ['https://app.example.com'], or remove the cors guard.",
    )
  const exact = new Set<string>()
  const patterns: RegExp[] = []
  origins.forEach((origin: unknown, i) => {
    const path = `cors.origins[${i}]`
    if (origin instanceof RegExp) {
      checkOriginPattern(origin, path)
      patterns.push(origin)
      return
    }
    if (typeof origin !== 'string') configError(path, 'Expected an origin string or a RegExp.')
    if (origin === '*')
      configError(
        path,
        "'*' is not an origin. Write origins: '*' to allow every origin (without credentials), or list origins.",
      )
    if (origin === 'null' && credentials)
      configError(
        path,
        "'null' with credentials: true would let any page read your users' data, since any site can send Origin: null from a sandboxed iframe. Remove 'null', or set credentials: false.",
      )
    exact.add(normalizeOrigin(origin, path))
  })
  return createOriginCheck(exact, patterns)
}

function resolveMethods(methods: readonly string[]): string[] {
  if (methods.length === 0)
    configError('cors.methods', "is empty. List the methods browsers may use, e.g. ['GET', 'POST'].")
  const out: string[] = []
  methods.forEach((method, i) => {
    const path = `cors.methods[${i}]`
    if (method === '*')
      configError(
        path,
        "'*' would allow every method. List the methods your routes accept, e.g. ['GET', 'POST', 'PUT', 'DELETE'].",
      )
    if (!isToken(method)) configError(path, `is not a method name: ${JSON.stringify(method)}.`)
    const upper = method.toUpperCase()
    if (unsendableMethods.has(upper))
      configError(path, `browsers never let scripts send ${upper}: remove it.`)
    const normalized = upperCasedMethods.has(upper) ? upper : method
    if (!out.includes(normalized)) out.push(normalized)
  })
  return out
}

function resolveHeaderNames(names: readonly string[], option: string): string[] {
  const out: string[] = []
  const seen = new Set<string>()
  names.forEach((name, i) => {
    const path = `cors.${option}[${i}]`
    if (name === '*')
      configError(path, `'*' is refused: list the header names, e.g. ['Content-Type', 'Authorization'].`)
    if (!isToken(name)) configError(path, `is not a header name: ${JSON.stringify(name)}.`)
    const lower = name.toLowerCase()
    if (seen.has(lower)) return
    seen.add(lower)
    out.push(name)
  })
  return out
}

function resolveMaxAge(value: unknown): number {
  const path = 'cors.maxAge'
  if (value === undefined) return 600
  const ms = parseDuration(path, value)
  if (ms % 1000 !== 0) {
    configError(
      path,
      `must be whole seconds; got ${JSON.stringify(value)}. A number is milliseconds: write '10m' or 600000 for ten minutes.`,
    )
  }
  const seconds = ms / 1000
  if (seconds > maxAgeLimit)
    configError(
      path,
      `must be at most ${maxAgeLimit} seconds (1 day); got ${seconds}. Browsers cap it (Chromium at 7200, Firefox at 86400), so a longer value only delays policy changes.`,
    )
  return seconds
}

/** Checks the options of `cors()` and precomputes the policy; throws a `SecConfigError` naming the option. */
export function resolveCorsPolicy(options: CorsOptions): CorsPolicy {
  const parsed = parseOptions('cors', optionsSchema, options)
  const credentials = parsed.credentials ?? false
  const allowsOrigin = resolveOrigins(parsed.origins, credentials)
  const methods = resolveMethods(parsed.methods ?? defaultMethods)
  const allowedHeaders = resolveHeaderNames(parsed.allowedHeaders ?? defaultAllowedHeaders, 'allowedHeaders')
  const exposedHeaders = resolveHeaderNames(parsed.exposedHeaders ?? defaultExposedHeaders, 'exposedHeaders')
  return {
    anyOrigin: allowsOrigin === undefined,
    allowsOrigin: allowsOrigin ?? (() => true),
    credentials,
    methods: new Set(methods),
    allowMethods: methods.join(', '),
    allowedHeaders: new Set(allowedHeaders.map((name) => name.toLowerCase())),
    allowHeaders: allowedHeaders.length === 0 ? undefined : allowedHeaders.join(', '),
    exposeHeaders: exposedHeaders.length === 0 ? undefined : exposedHeaders.join(', '),
    maxAge: String(resolveMaxAge(parsed.maxAge)),
  }
}
