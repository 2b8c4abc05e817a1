import {
  type Clock,
  type EventSink,
  type Guard,
  type RateLimiter,
  type RateLimitStore,
  rateLimit,
  type TokenBucketOptions,
  tokenBucket,
} from '@sec/core'

/**
 * The limit on every request but `GET /health`, per client IP, for anonymous clients (every client,
 * until the demos authenticate anyone): a token bucket of 60 requests, refilled at 60 per minute
 * (one a second). A client may burst 60 requests, then keeps a steady 60 a minute.
 */
export const anonymousRateLimit = {
  name: 'api',
  capacity: 60,
  refillRate: 60,
  interval: '1m',
} as const satisfies TokenBucketOptions

/**
 * The limit on `GET /v1/search`, per client IP, on top of {@link anonymousRateLimit}: a token bucket
 * of 10 searches refilled at 10 per minute (one every 6 s). A search reads every stored title,
 * where the other routes read one note or the newest ones.
 */
export const searchRateLimit = {
  name: 'search',
  capacity: 10,
  refillRate: 10,
  interval: '1m',
} as const satisfies TokenBucketOptions

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

/** The demo's rate-limit guards. */
export interface DemoRateLimits {
  /** App-wide: {@link anonymousRateLimit} on every path but `/health`. */
  readonly api: Guard
  /** For `GET /v1/search`: {@link searchRateLimit}. */
  readonly search: Guard
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

function limiter(limit: TokenBucketOptions, options: DemoRateLimitOptions): RateLimiter {
  const local: TokenBucketOptions = {
    ...limit,
    ...(options.clock !== undefined && { clock: options.clock }),
  }
  if (options.store === undefined) return tokenBucket(local)
  // A demo should stay up: with the shared store down, each process keeps limiting on its own
  // (a client gets up to the limit from each process) rather than refusing everyone with a 503.
  return tokenBucket({
    ...local,
    store: options.store,
    fail: 'open',
    insurance: tokenBucket(local),
    ...(options.events !== undefined && { events: options.events }),
  })
}

/**
 * Builds the demo's rate-limit guards, with limiters of their own: two calls never share counters
 * unless they are given the same `store`.
 *
 * The app-wide guard has a tier map with `anonymous` only: the demos authenticate nobody yet, so
 * every request is anonymous, keyed by client IP (IPv6 by /64).
 */
export function createDemoRateLimits(options: DemoRateLimitOptions = {}): DemoRateLimits {
  return {
    api: exceptUnlimitedPaths(
      rateLimit({ tiers: { anonymous: limiter(anonymousRateLimit, options) }, by: 'ip' }),
    ),
    search: rateLimit({ limiter: limiter(searchRateLimit, options), by: 'ip' }),
  }
}
