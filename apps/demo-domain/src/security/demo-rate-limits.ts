import {
  type Clock,
  type EventSink,
  type Guard,
  type RateLimiter,
  type RateLimitStore,
  rateLimit,
  type SlidingLogOptions,
  slidingLog,
  type TokenBucketOptions,
  tokenBucket,
} from '@sec/core'

/**
 * The limit on every request but `GET /health` from a caller without credentials, per client IP:
 * a token bucket of 60 requests, refilled at 60 per minute (one a second). A client may burst 60
 * requests, then keeps a steady 60 a minute.
 */
export const anonymousRateLimit = {
  name: 'api',
  capacity: 60,
  refillRate: 60,
  interval: '1m',
} as const satisfies TokenBucketOptions

/**
 * The limit on every request but `GET /health` from an authenticated caller (an access token or an
 * API key), per user (an API key counts as its owner), whatever its IP: a token bucket of 300
 * requests refilled at 300 per minute (five a second). A known user gets more than an address.
 */
export const authenticatedRateLimit = {
  name: 'api-user',
  capacity: 300,
  refillRate: 300,
  interval: '1m',
} as const satisfies TokenBucketOptions

/**
 * The limit on `GET /v1/search`, per client IP, on top of the app-wide one: a token bucket of 10
 * searches refilled at 10 per minute (one every 6 s). A search reads every title of its caller,
 * where the other routes read one note or the newest ones.
 */
export const searchRateLimit = {
  name: 'search',
  capacity: 10,
  refillRate: 10,
  interval: '1m',
} as const satisfies TokenBucketOptions

/**
 * Login attempts per client IP (IPv6: the /64), successes included: 20 in any 15 minutes (an exact
 * sliding log). Past 10 each attempt is slowed down; past 20 the IP is locked out until its oldest
 * attempt is 15 minutes old.
 */
export const loginIpRateLimit = {
  name: 'login-ip',
  limit: 20,
  window: '15m',
} as const satisfies SlidingLogOptions

/**
 * Login attempts per account (the username as sent, lower-cased, whether it exists or not): 5 in
 * any 15 minutes, reset by a successful login. Past 3 each attempt is slowed down; past 5 the
 * account is locked out until its oldest attempt is 15 minutes old.
 */
export const loginAccountRateLimit = {
  name: 'login-account',
  limit: 5,
  window: '15m',
} as const satisfies SlidingLogOptions

/** Options of {@link createDemoRateLimits}. */
export interface DemoRateLimitOptions {
  /**
   * A store several processes share, such as `redisStore(redis)`. The limiters then count there,
   * fail open, and while it is down each process counts in its own memory instead (the insurance
   * limiters). Default: none: each limiter counts in its own memory store.
   */
  readonly store?: RateLimitStore
  /** The limiters' clock, in ms; it must never go back. Default: a monotonic clock. */
  readonly clock?: Clock
  /**
   * Where the limiters report that the shared store went down or came back
   * (`ratelimit.store-unavailable`, `ratelimit.store-recovered`). Only with `store`. Default: nowhere.
   */
  readonly events?: EventSink | readonly EventSink[]
}

/** The demo's rate-limit guards, and the login limiter the password-login guard consults itself. */
export interface DemoRateLimits {
  /**
   * App-wide, on every path but `/health`: {@link authenticatedRateLimit} by user for a caller the
   * `identify` guard authenticated, {@link anonymousRateLimit} by IP for anyone else.
   */
  readonly api: Guard
  /** For `GET /v1/search`: {@link searchRateLimit}. */
  readonly search: Guard
  /** For `POST /v1/auth/token`, before the body is read: {@link loginIpRateLimit}. */
  readonly loginByIp: Guard
  /** {@link loginAccountRateLimit}, keyed by account by the password-login guard. */
  readonly loginAccounts: RateLimiter
}

/**
 * Paths no limit applies to: `GET /health` is what load balancers and uptime monitors poll, and it
 * must keep answering for a client that is being throttled.
 *
 * The limit covers every other path rather than testing for a `/v1/` prefix: Express and Koa route
 * `/V1/notes` to `/v1/notes` and Fastify decodes `/%761/notes` to it, so a prefix test on the raw
 * path could be dodged. An exact exemption fails safe: another spelling of `/health` is limited.
 */
const unlimitedPaths: ReadonlySet<string> = new Set(['/health'])

function exceptUnlimitedPaths(guard: Guard): Guard {
  return {
    name: guard.name,
    check: (ctx) => (unlimitedPaths.has(ctx.path) ? undefined : guard.check(ctx)),
  }
}

function limiter<T extends TokenBucketOptions | SlidingLogOptions>(
  make: (options: T) => RateLimiter,
  limit: T,
  options: DemoRateLimitOptions,
): RateLimiter {
  const local: T = { ...limit, ...(options.clock !== undefined && { clock: options.clock }) }
  if (options.store === undefined) return make(local)
  // A demo should stay up: with the shared store down, each process keeps limiting on its own
  // (a client gets up to the limit from each process) rather than refusing everyone with a 503.
  return make({
    ...local,
    store: options.store,
    fail: 'open',
    insurance: make(local),
    ...(options.events !== undefined && { events: options.events }),
  })
}

/**
 * Builds the demo's rate-limit guards, with limiters of their own: two calls never share counters
 * unless they are given the same `store`.
 *
 * The app-wide guard runs after the `identify` guard, so it knows whether the caller authenticated:
 * an authenticated caller is counted by user (`user:<id>`; an API key as its owner), anyone else by
 * client IP (IPv6 by /64). A request with a refused credential is anonymous, so it is counted by IP.
 */
export function createDemoRateLimits(options: DemoRateLimitOptions = {}): DemoRateLimits {
  return {
    api: exceptUnlimitedPaths(
      rateLimit({
        tiers: {
          anonymous: limiter(tokenBucket, anonymousRateLimit, options),
          authenticated: limiter(tokenBucket, authenticatedRateLimit, options),
        },
        by: 'user',
      }),
    ),
    search: rateLimit({ limiter: limiter(tokenBucket, searchRateLimit, options), by: 'ip' }),
    loginByIp: rateLimit({ limiter: limiter(slidingLog, loginIpRateLimit, options), by: 'ip' }),
    loginAccounts: limiter(slidingLog, loginAccountRateLimit, options),
  }
}
