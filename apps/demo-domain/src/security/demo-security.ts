import {
  authorize,
  body,
  type Clock,
  cors,
  createSecurity,
  type Guard,
  headers,
  https,
  memoryNonceStore,
  type NonceStore,
  noCredentialsInUrl,
  type RandomSource,
  type RateLimitStore,
  requireScopes,
  type Security,
  type SigningCrypto,
  sigv4,
  validate,
  webhook,
} from '@sec/core'
import type { NotesPolicy } from '../authz/index.js'
import {
  authenticated,
  type DemoEventSink,
  type DemoIdentity,
  identify,
  type LoginSlowDown,
  type LoginThrottle,
  passwordLogin,
  signedIn,
} from '../identity/index.js'
import {
  ApiKeyInputSchema,
  ApiKeyParamsSchema,
  LoginInputSchema,
  NoteEventSchema,
  NoteInputSchema,
  type NoteParams,
  NoteParamsSchema,
  RefreshInputSchema,
  SearchQuerySchema,
} from '../schemas/index.js'
import {
  demoClientCredentials,
  demoSigV4Naming,
  demoSigV4Scope,
  demoWebhookSecret,
  oncePerDelivery,
  signatureTolerance,
} from '../signing/index.js'
import type { NoteStore } from '../store/index.js'
import { createDemoRateLimits, loginIpRateLimit } from './demo-rate-limits.js'
import { publicCache } from './public-cache.js'

/** The browser origin allowed to call the demos: a Vite dev server on its default port. */
export const demoOrigin = 'http://localhost:5173'

/** The largest JSON body `POST /v1/notes` reads, in bytes (64 KiB). */
export const noteBodyLimit = 65_536

/** The largest JSON body the sign-in, refresh and API key routes read, in bytes (2 KiB). */
export const smallBodyLimit = 2048

/** How long `GET /.well-known/jwks.json` may be cached, in seconds: 5 minutes. */
export const jwksMaxAge = 300

/**
 * How repeated logins are slowed down: past 3 attempts on an account or 10 from an IP within 15
 * minutes, each attempt is held 0.5 s longer than the one before, up to 5 s.
 */
export const loginSlowDown = {
  accountSlowAfter: 3,
  ipSlowAfter: 10,
  delayStep: 500,
  maxDelay: 5000,
} as const satisfies LoginSlowDown

/** Options of {@link createDemoSecurity}. */
export interface DemoSecurityOptions {
  /** Who the users are and what their tokens and keys are. */
  readonly identity: DemoIdentity
  /** The notes the authorization guards load to decide on one. */
  readonly store: NoteStore
  /** The Notes policy, shared with the notes service. */
  readonly policy: NotesPolicy
  /**
   * The clock of the security pipeline and of the rate limiters. Default: `Date.now` for the
   * pipeline, a monotonic clock for the limiters.
   */
  readonly clock?: Clock
  /** The random source of request ids. Default: `crypto.getRandomValues`. */
  readonly random?: RandomSource
  /**
   * Where security events go: the pipeline's (requests, rate limits, refused credentials, the
   * limiters' shared-store outages) and the demo's own sign-in events. Default: nowhere.
   */
  readonly events?: DemoEventSink | readonly DemoEventSink[]
  /**
   * A rate-limit store several processes share, such as `redisStore(redis)` from `@sec/redis`, so
   * that they enforce one limit together. While it is down each process limits on its own. Default:
   * none: the limits are counted in this process's memory.
   */
  readonly rateLimitStore?: RateLimitStore
  /** How a slowed-down login waits. Default: a timer. */
  readonly wait?: (ms: number) => Promise<void>
  /**
   * Where the nonces of signed requests (`X-Sec-Nonce`) and the webhook attempts already received
   * are remembered until they leave the time window, such as `redisNonceStore(redis)` from
   * `@sec/redis` so that several processes refuse each other's replays. Default: a
   * `memoryNonceStore()` of this call.
   */
  readonly replayStore?: NonceStore
  /**
   * The SHA-256 and HMAC of signed requests: `nodeSigningCrypto` from `@sec/node` on Node.
   * Default: Web Crypto.
   */
  readonly signingCrypto?: SigningCrypto
}

/** The guards each route adds to the app-wide ones. */
export interface DemoRoutes {
  /**
   * `POST /v1/auth/token`: 20 attempts per 15 minutes per IP (before the body is read), a JSON
   * body of at most 2 KiB matching `LoginInputSchema`, then the password check with its
   * per-account limit and slow-down.
   */
  readonly token: readonly Guard[]
  /** `POST /v1/auth/refresh`: a JSON body of at most 2 KiB matching `RefreshInputSchema`. */
  readonly refresh: readonly Guard[]
  /** `POST /v1/auth/logout`: a signed-in user's access token (not an API key). */
  readonly logout: readonly Guard[]
  /** `GET /.well-known/jwks.json`: cacheable for 5 minutes. */
  readonly jwks: readonly Guard[]
  /** `GET /v1/notes`: a token or key with `notes:read`, and the policy's `notes:list`. */
  readonly listNotes: readonly Guard[]
  /**
   * `POST /v1/notes`: `notes:write` and the policy's `notes:create`, then a JSON body of at most 64
   * KiB validated against `NoteInputSchema`. Authentication comes first: an anonymous body is
   * never read.
   */
  readonly createNote: readonly Guard[]
  /**
   * `GET /v1/notes/:id`: `notes:read`, the id validated against `NoteParamsSchema`, then the
   * policy's `notes:read` on the loaded note; another user's note is the same 404 as a missing one.
   */
  readonly getNote: readonly Guard[]
  /**
   * `DELETE /v1/notes/:id`: `notes:write`, the id, then the policy's `notes:delete` (one's own,
   * or any for an admin); a note the caller may not even read is a 404.
   */
  readonly deleteNote: readonly Guard[]
  /**
   * `GET /v1/search`: `notes:read` and the policy's `notes:list`, then 10 searches a minute per
   * client IP (see `searchRateLimit`), then the query validated against `SearchQuerySchema`. The
   * limit comes before validation, so malformed searches count too.
   */
  readonly search: readonly Guard[]
  /** `POST /v1/api-keys`: a signed-in user, a JSON body of at most 2 KiB matching `ApiKeyInputSchema`. */
  readonly createApiKey: readonly Guard[]
  /** `GET /v1/api-keys`: a signed-in user. */
  readonly listApiKeys: readonly Guard[]
  /** `POST /v1/api-keys/:id/rotate`: a signed-in user, the id validated against `ApiKeyParamsSchema`. */
  readonly rotateApiKey: readonly Guard[]
  /** `DELETE /v1/api-keys/:id`: a signed-in user, the id validated against `ApiKeyParamsSchema`. */
  readonly deleteApiKey: readonly Guard[]
  /**
   * `POST /v1/signed/notes`: a request signed by a demo machine client (`SEC1-HMAC-SHA256`, scope
   * `local/notes`): signature, time window, nonce and body hash, then `notes:write` and the
   * policy's `notes:create` for the client's owner, then a JSON body of at most 64 KiB validated
   * against `NoteInputSchema`.
   */
  readonly signedNote: readonly Guard[]
  /**
   * `POST /v1/webhooks/notes`: a Standard Webhooks delivery signed with the demo webhook secret,
   * each attempt accepted once, with a JSON body of at most 64 KiB matching `NoteEventSchema`.
   */
  readonly webhookNote: readonly Guard[]
}

/** The demo's security pipeline and its route guards. */
export interface DemoSecurity {
  readonly security: Security
  readonly routes: DemoRoutes
}

function sinksOf(events: DemoSecurityOptions['events']): readonly DemoEventSink[] {
  if (events === undefined) return []
  return typeof events === 'function' ? [events] : events
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

function jsonBody(limit: number): Guard {
  return body({ limit, types: ['application/json'] })
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
 * - `cors(...)`: only {@link demoOrigin} may call the API from a browser, with `GET`, `HEAD`, `POST`
 *   and `DELETE`, and the request headers `Content-Type` and `Authorization`; a preflight is cached
 *   for 10 minutes. No credentials (cookies): the access token travels in `Authorization`, which a
 *   page sets itself. `X-API-Key` is not allowed: API keys are for servers, not browsers.
 * - `identify(...)`: authenticates an access token or API key when one is sent, refusing nothing
 *   itself, so that the rate limit knows the caller.
 * - rate limits (see `anonymousRateLimit`, `authenticatedRateLimit`): 60 requests a minute per
 *   client IP, or 300 per authenticated user, on every path but `/health`, after `cors` so that
 *   preflights are not counted, and before the checks that refuse a request, so that refused
 *   requests are counted too. Each call makes limiters of its own.
 * - `noCredentialsInUrl()`: refuses a query that carries a credential (`?access_token=…`).
 */
export function createDemoSecurity(options: DemoSecurityOptions): DemoSecurity {
  const { identity, store, policy, rateLimitStore, events, wait, replayStore, signingCrypto, ...pipeline } =
    options
  const replays = replayStore ?? memoryNonceStore(options.clock === undefined ? {} : { clock: options.clock })
  const sinks = sinksOf(events)
  const limits = createDemoRateLimits({
    ...(rateLimitStore !== undefined && { store: rateLimitStore }),
    ...(options.clock !== undefined && { clock: options.clock }),
    ...(sinks.length > 0 && { events: sinks }),
  })
  const security = createSecurity({
    ...pipeline,
    ...(sinks.length > 0 && { events: sinks }),
    trustProxy: ['loopback'],
    guards: [
      https({ allowDirectLoopback: true }),
      headers('api'),
      cors({
        origins: [demoOrigin],
        methods: ['GET', 'HEAD', 'POST', 'DELETE'],
        allowedHeaders: ['Content-Type', 'Authorization'],
        exposedHeaders: [
          'RateLimit',
          'RateLimit-Policy',
          'Retry-After',
          'WWW-Authenticate',
          'X-RateLimit-Limit',
          'X-RateLimit-Remaining',
          'X-RateLimit-Reset',
        ],
        maxAge: '10m',
      }),
      identify({ verifier: identity.verifier, apiKeys: identity.apiKeys }),
      limits.api,
      noCredentialsInUrl(),
    ],
  })
  const throttle: LoginThrottle = {
    accounts: limits.loginAccounts,
    ipLimiter: loginIpRateLimit.name,
    ...loginSlowDown,
  }
  const loadNote = (ctx: { input: { params: unknown } }) => store.get((ctx.input.params as NoteParams).id)
  const validNoteId = validate({ params: NoteParamsSchema })
  const validKeyId = validate({ params: ApiKeyParamsSchema })
  return {
    security,
    routes: {
      token: [
        limits.loginByIp,
        jsonBody(smallBodyLimit),
        validate({ body: LoginInputSchema }),
        passwordLogin({ users: identity.users, throttle, events: sinks, wait: wait ?? sleep }),
      ],
      refresh: [jsonBody(smallBodyLimit), validate({ body: RefreshInputSchema })],
      logout: [signedIn()],
      jwks: [publicCache(jwksMaxAge)],
      listNotes: [authenticated(), requireScopes('notes:read'), authorize(policy, 'notes:list')],
      createNote: [
        authenticated(),
        requireScopes('notes:write'),
        authorize(policy, 'notes:create'),
        jsonBody(noteBodyLimit),
        validate({ body: NoteInputSchema }),
      ],
      getNote: [
        authenticated(),
        requireScopes('notes:read'),
        validNoteId,
        authorize(policy, 'notes:read', { resource: loadNote }),
      ],
      deleteNote: [
        authenticated(),
        requireScopes('notes:write'),
        validNoteId,
        authorize(policy, 'notes:delete', { resource: loadNote, visibleWith: 'notes:read' }),
      ],
      search: [
        authenticated(),
        requireScopes('notes:read'),
        authorize(policy, 'notes:list'),
        limits.search,
        validate({ query: SearchQuerySchema }),
      ],
      createApiKey: [signedIn(), jsonBody(smallBodyLimit), validate({ body: ApiKeyInputSchema })],
      listApiKeys: [signedIn()],
      rotateApiKey: [signedIn(), validKeyId],
      deleteApiKey: [signedIn(), validKeyId],
      signedNote: [
        sigv4({
          credentials: demoClientCredentials,
          ...demoSigV4Scope,
          naming: demoSigV4Naming,
          clockSkew: signatureTolerance,
          nonce: { store: replays },
          // A machine client signs its own requests: no URL to hand to someone else.
          presigned: false,
          maxBodyBytes: noteBodyLimit,
          ...(signingCrypto !== undefined && { crypto: signingCrypto }),
        }),
        requireScopes('notes:write'),
        authorize(policy, 'notes:create'),
        jsonBody(noteBodyLimit),
        validate({ body: NoteInputSchema }),
      ],
      webhookNote: [
        webhook({
          secrets: [demoWebhookSecret],
          tolerance: signatureTolerance,
          limit: noteBodyLimit,
          sender: 'notes-inbox',
        }),
        oncePerDelivery(replays, signatureTolerance),
        jsonBody(noteBodyLimit),
        validate({ body: NoteEventSchema }),
      ],
    },
  }
}
