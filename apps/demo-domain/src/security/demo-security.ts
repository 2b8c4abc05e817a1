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
  type Security,
  validate,
} from '@sec/core'
import { NoteInputSchema, NoteParamsSchema } from '../schemas/index.js'

/** The browser origin allowed to call the demos: a Vite dev server on its default port. */
export const demoOrigin = 'http://localhost:5173'

/** The largest JSON body `POST /v1/notes` reads, in bytes (64 KiB). */
export const noteBodyLimit = 65_536

/** Options of {@link createDemoSecurity}. Meant for tests; the demos use the defaults. */
export interface DemoSecurityOptions {
  /** The clock of the security pipeline. Default: `Date.now`. */
  readonly clock?: Clock
  /** The random source of request ids. Default: `crypto.getRandomValues`. */
  readonly random?: RandomSource
  /** Where security events go. Default: nowhere. */
  readonly events?: EventSink | readonly EventSink[]
}

/** The guards each Notes route adds to the app-wide ones. */
export interface DemoRoutes {
  /** `POST /v1/notes`: a JSON body of at most 64 KiB, validated against {@link NoteInputSchema}. */
  readonly createNote: readonly Guard[]
  /** `GET /v1/notes/:id`: the id validated against {@link NoteParamsSchema}. */
  readonly getNote: readonly Guard[]
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
 * - `noCredentialsInUrl()`: refuses a query that carries a credential (`?access_token=…`).
 */
export function createDemoSecurity(options: DemoSecurityOptions = {}): DemoSecurity {
  const security = createSecurity({
    ...options,
    trustProxy: ['loopback'],
    guards: [
      https({ allowDirectLoopback: true }),
      headers('api'),
      cors({ origins: [demoOrigin], allowedHeaders: ['Content-Type'], maxAge: '10m' }),
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
    },
  }
}
