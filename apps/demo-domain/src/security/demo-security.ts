import {
  body,
  type Clock,
  cors,
  createSecurity,
  type EventSink,
  type Guard,
  headers,
  https,
  noCredentialsInUrl,
  type RandomSource,
  type RateLimitStore,
  type Security,
  validate,
} from '@sec/core'
import { NoteInputSchema, NoteParamsSchema, SearchQuerySchema } from '../schemas/index.js'
import { createDemoRateLimits } from './demo-rate-limits.js'

/** The browser origin allowed to call the demos: a Vite dev server on its default port. */
export const demoOrigin = 'http://localhost:5173'

/** The largest JSON body `POST /v1/notes` reads, in bytes (64 KiB). */
export const noteBodyLimit = 65_536

/** Options of {@link createDemoSecurity}. Meant for tests; the demos use the defaults. */
export interface DemoSecurityOptions {
  /**
   * The clock of the security pipeline and of the rate limiters. Default: `Date.now` for the
   * pipeline, a monotonic clock for the limiters.
   */
  readonly clock?: Clock
  /** The random source of request ids. Default: `crypto.getRandomValues`. */
  readonly random?: RandomSource
  /** Where security events go, the rate limiters' shared-store outages included. Default: nowhere. */
  readonly events?: EventSink | readonly EventSink[]
  /**
   * A rate-limit store several processes share, such as `redisStore(redis)` from `@sec/redis`, so
   * that they enforce one limit together. While it is down each process limits on its own. Default:
   * none: the limits are counted in this process's memory.
   */
  readonly rateLimitStore?: RateLimitStore
}

/** The guards each Notes route adds to the app-wide ones. */
export interface DemoRoutes {
  /** `POST /v1/notes`: a JSON body of at most 64 KiB, validated against {@link NoteInputSchema}. */
  readonly createNote: readonly Guard[]
  /** `GET /v1/notes/:id`: the id validated against {@link NoteParamsSchema}. */
  readonly getNote: readonly Guard[]
  /**
   * `GET /v1/search`: 10 searches a minute per client IP (see `searchRateLimit`), then the query
   * validated against {@link SearchQuerySchema}. The limit comes first, so malformed searches count too.
   */
  readonly search: readonly Guard[]
}

/** The demo's security pipeline and its route guards. */
export interface DemoSecurity {
  readonly security: Security
  readonly routes: DemoRoutes
}

/**
 * Builds the security configuration every demo uses, so that Express, Fastify, Koa and Next.js
 * answer the same request the same way:
 *
 * - `trustProxy: ['loopback']`: a reverse proxy on the same machine may report the client's
 *   address, scheme and host (`X-Forwarded-For`, `-Proto`, `-Host`); nobody else may.
 * - `https({ allowDirectLoopback: true })`: a request a trusted proxy marks as plain HTTP is
 *   redirected to HTTPS (308); a direct plain-HTTP request from this machine is served, for local
 *   development.
 * - `headers('api')`: the security headers of a JSON API, on every response including problems.
 * - `cors(...)`: only {@link demoOrigin} may call the API from a browser, with the methods
 *   `GET`, `HEAD` and `POST` and the request header `Content-Type`; a preflight is cached for 10
 *   minutes. Without credentials: the Notes API uses no cookies or HTTP authentication, so there
 *   is nothing to share, and `Authorization` is not allowed either.
 * - rate limits (see `anonymousRateLimit`): 60 requests a minute per client IP on every path but
 *   `/health`, after `cors` so that preflights are not counted, and before the checks that refuse a
 *   request, so that refused requests are counted too. Each call makes limiters of its own.
 * - `noCredentialsInUrl()`: refuses a query that carries a credential (`?access_token=…`).
 */
export function createDemoSecurity(options: DemoSecurityOptions = {}): DemoSecurity {
  const { rateLimitStore, ...pipeline } = options
  const limits = createDemoRateLimits({
    ...(rateLimitStore !== undefined && { store: rateLimitStore }),
    ...(options.clock !== undefined && { clock: options.clock }),
    ...(options.events !== undefined && { events: options.events }),
  })
  const security = createSecurity({
    ...pipeline,
    trustProxy: ['loopback'],
    guards: [
      https({ allowDirectLoopback: true }),
      headers('api'),
      cors({ origins: [demoOrigin], allowedHeaders: ['Content-Type'], maxAge: '10m' }),
      limits.api,
      noCredentialsInUrl(),
    ],
  })
  return {
    security,
    routes: {
      createNote: [
        body({ limit: noteBodyLimit, types: ['application/json'] }),
        validate({ body: NoteInputSchema }),
      ],
      getNote: [validate({ params: NoteParamsSchema })],
      search: [limits.search, validate({ query: SearchQuerySchema })],
    },
  }
}
