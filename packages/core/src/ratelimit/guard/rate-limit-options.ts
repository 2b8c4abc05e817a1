import * as v from 'valibot'
import { configError, parseOptions } from '../../config/index.js'
import { isToken } from '../../headers/http-syntax.js'
import type { GuardContext, Principal } from '../../pipeline/index.js'
import type { LimitPolicy } from '../limit-policy.js'
import { isSyncLimiter } from '../limiters/create-limiter.js'
import type { RateLimiter } from '../rate-limiter.js'
import { createKeyResolver, type KeyResolver, type RateLimitKey } from './limit-key.js'
import { describeLimiter, type LimiterInfo, type RateLimitHeaderMode } from './rate-limit-headers.js'

/** Options of `rateLimit()`. Give either `limiter` or `tiers`. */
export interface RateLimitOptions {
  /**
   * The limiter every request goes through, or several consulted in order until one denies (a
   * burst limit, then a daily quota). List the shortest window first: the limiters before the one
   * that denies keep the units they took, so a request refused by the burst limit should not reach
   * the daily quota.
   */
  readonly limiter?: RateLimiter | readonly RateLimiter[]
  /**
   * Limiters by tier, e.g. `{ anonymous: …, authenticated: …, pro: … }`, each a limiter or a list
   * consulted as for `limiter`. `anonymous` is required: it serves requests without a principal, and
   * any tier name that is not listed when there is no `authenticated` tier.
   */
  readonly tiers?: Readonly<Record<string, RateLimiter | readonly RateLimiter[]>>
  /**
   * Picks the tier of a request from its principal. A name that is not in `tiers` gives an
   * authenticated caller the `authenticated` tier (or `anonymous` when there is none) and an
   * anonymous caller `anonymous`. Only with `tiers`. Default: `anonymous` without a principal;
   * else `principal.plan` when it is a string naming a tier; else `authenticated`.
   */
  readonly tier?: (principal: Principal | undefined) => string
  /** What requests are counted by; see {@link RateLimitKey}. Default: `'ip'`. */
  readonly by?: RateLimitKey
  /**
   * The request header that carries the raw API key, for `by: 'api-key'` (and only then). Default:
   * `'x-api-key'`. An unverified key is whatever the caller sends, so a caller can send a new one
   * with each request: keep an IP-keyed limiter in front, or run this guard after the API-key guard.
   */
  readonly apiKeyHeader?: string
  /**
   * The units of cost each request takes, integer or fractional, at most the smallest limit of
   * its limiters; or a function of the request returning them (a finite number, 0 or more). A cost
   * of 0 takes nothing and is never refused, but still reports the limiters' state. Costlier
   * routes get their own guard: `rateLimit({ limiter: reports, cost: 5 })`. Default: `1`.
   */
  readonly cost?: number | ((ctx: GuardContext) => number)
  /** Which rate-limit headers to send; see {@link RateLimitHeaderMode}. Default: `'both'`. */
  readonly headers?: RateLimitHeaderMode
}

/** The limiters of one tier, consulted in order. */
export interface Tier {
  readonly limiters: readonly LimiterInfo[]
  /** The most cost one request may take: the smallest limit of the tier. */
  readonly maxCost: number
  /** Whether costs must be whole (a sliding log is in the tier). */
  readonly integerCosts: boolean
  /** Whether every limiter of the tier decides synchronously (counters in process). */
  readonly sync: boolean
}

/** The options of `rateLimit()`, turned once into what each request needs. */
export interface RateLimitSetup {
  readonly tierOf: (principal: Principal | undefined) => Tier
  readonly keyOf: KeyResolver
  /** The static cost, or the function that computes it. */
  readonly cost: number | ((ctx: GuardContext) => number)
  readonly ietf: boolean
  readonly legacy: boolean
}

const where = 'rateLimit'
const limiterName = /^[A-Za-z0-9_.-]+$/
const fn = v.custom<(...args: never[]) => unknown>((x) => typeof x === 'function', 'Expected a function')

const optionsSchema = v.strictObject({
  limiter: v.optional(v.unknown()),
  tiers: v.optional(v.unknown()),
  tier: v.optional(fn),
  by: v.optional(
    v.union(
      [v.picklist(['ip', 'user', 'api-key']), fn],
      "Expected 'ip', 'user', 'api-key' or a function of the request returning a key",
    ),
  ),
  apiKeyHeader: v.optional(v.pipe(v.string(), v.check(isToken, 'Expected a header name such as x-api-key'))),
  cost: v.optional(
    v.custom<number | ((ctx: GuardContext) => number)>(
      (x) => typeof x === 'function' || (typeof x === 'number' && x >= 0 && x !== Number.POSITIVE_INFINITY),
      'Expected a finite number of units (0 or more) or a function of the request returning one',
    ),
  ),
  headers: v.optional(
    v.union(
      [v.picklist(['both', 'ietf', 'legacy']), v.literal(false)],
      "Expected 'both', 'ietf', 'legacy' or false",
    ),
  ),
})

function isPositiveFinite(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0
}

function checkLimiter(value: unknown, path: string): RateLimiter {
  const limiter = value as Partial<RateLimiter> | null
  if (
    typeof limiter !== 'object' ||
    limiter === null ||
    typeof limiter.limit !== 'function' ||
    typeof limiter.peek !== 'function'
  )
    configError(path, 'Expected a rate limiter, such as tokenBucket({ ... }) or slidingWindow({ ... }).')
  if (typeof limiter.name !== 'string' || !limiterName.test(limiter.name))
    configError(
      `${path}.name`,
      `must be letters, digits, '_', '.' or '-' (it names the limiter in the RateLimit headers); got ${JSON.stringify(limiter.name)}.`,
    )
  const policy = limiter.policy
  if (!isPositiveFinite(policy?.limit) || !isPositiveFinite(policy.period))
    configError(`${path}.policy`, 'must have a finite limit and period greater than 0.')
  return limiter as RateLimiter
}

function samePolicy(a: LimitPolicy, b: LimitPolicy): boolean {
  return a.algorithm === b.algorithm && a.limit === b.limit && a.period === b.period
}

function resolveTier(value: unknown, path: string, named: Map<string, LimiterInfo>): Tier {
  const list = Array.isArray(value) ? (value as unknown[]) : [value]
  if (list.length === 0) configError(path, 'is empty. Give at least one limiter.')
  const limiters: LimiterInfo[] = []
  list.forEach((item, i) => {
    const itemPath = Array.isArray(value) ? `${path}[${i}]` : path
    const limiter = checkLimiter(item, itemPath)
    const known = named.get(limiter.name)
    if (known !== undefined && known.limiter !== limiter && !samePolicy(known.limiter.policy, limiter.policy))
      configError(
        `${itemPath}.name`,
        `${JSON.stringify(limiter.name)} names two limiters with different policies, which would share their counters in a store. Give each its own name.`,
      )
    if (limiters.some((info) => info.name === limiter.name))
      configError(
        itemPath,
        `repeats the limiter ${JSON.stringify(limiter.name)}: each request would take its cost twice from one counter. List it once.`,
      )
    const info = known ?? describeLimiter(limiter)
    named.set(limiter.name, info)
    limiters.push(info)
  })
  return {
    limiters,
    maxCost: Math.min(...limiters.map((info) => info.limit)),
    integerCosts: limiters.some((info) => info.integerCosts),
    sync: limiters.every((info) => isSyncLimiter(info.limiter)),
  }
}

function resolveTiers(value: unknown, named: Map<string, LimiterInfo>): Map<string, Tier> {
  const path = `${where}.tiers`
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    configError(path, 'Expected an object of limiters by tier, e.g. { anonymous: …, authenticated: … }.')
  const tiers = new Map<string, Tier>()
  for (const name of Object.keys(value))
    tiers.set(name, resolveTier((value as Record<string, unknown>)[name], `${path}.${name}`, named))
  if (!tiers.has('anonymous'))
    configError(
      path,
      'has no anonymous tier. Add one: it limits requests without a principal, and any tier name not listed.',
    )
  return tiers
}

function createTierSelector(
  tiers: Map<string, Tier>,
  pick: ((principal: Principal | undefined) => string) | undefined,
): (principal: Principal | undefined) => Tier {
  const anonymous = tiers.get('anonymous') as Tier
  const authenticated = tiers.get('authenticated') ?? anonymous
  if (pick === undefined)
    return (principal) => {
      if (principal === undefined) return anonymous
      const plan = principal.plan
      return (typeof plan === 'string' ? tiers.get(plan) : undefined) ?? authenticated
    }
  return (principal) => {
    const name = pick(principal)
    return (
      (typeof name === 'string' ? tiers.get(name) : undefined) ??
      (principal === undefined ? anonymous : authenticated)
    )
  }
}

function checkStaticCost(cost: number, tiers: Iterable<Tier>): void {
  const path = `${where}.cost`
  for (const tier of tiers) {
    for (const info of tier.limiters) {
      if (cost > info.limit)
        configError(
          path,
          `is ${cost}, more than the limit of ${JSON.stringify(info.name)} (${info.limit}), so no request could ever be admitted. Lower the cost or raise the limit.`,
        )
      if (info.integerCosts && !Number.isInteger(cost))
        configError(path, `must be a whole number: ${JSON.stringify(info.name)} is a sliding log.`)
    }
  }
}

/** Checks the options of `rateLimit()` and precomputes everything; throws a `SecConfigError` naming the option. */
export function resolveRateLimit(options: RateLimitOptions): RateLimitSetup {
  const parsed = parseOptions(where, optionsSchema, options)
  if (parsed.limiter !== undefined && parsed.tiers !== undefined)
    configError(
      where,
      'has both limiter and tiers. Give limiter for one set of limits, or tiers for several.',
    )
  const named = new Map<string, LimiterInfo>()
  let tiers: Map<string, Tier>
  let tierOf: (principal: Principal | undefined) => Tier
  if (parsed.tiers !== undefined) {
    tiers = resolveTiers(parsed.tiers, named)
    tierOf = createTierSelector(
      tiers,
      parsed.tier as ((principal: Principal | undefined) => string) | undefined,
    )
  } else {
    if (parsed.limiter === undefined)
      configError(
        where,
        'needs a limiter, e.g. rateLimit({ limiter: tokenBucket({ capacity: 60, refillRate: 1, interval: "1s" }) }), or tiers.',
      )
    if (parsed.tier !== undefined)
      configError(`${where}.tier`, 'only applies with tiers. Remove it, or give tiers instead of limiter.')
    const only = resolveTier(parsed.limiter, `${where}.limiter`, named)
    tiers = new Map([['anonymous', only]])
    tierOf = () => only
  }
  const by = (parsed.by ?? 'ip') as RateLimitKey
  if (parsed.apiKeyHeader !== undefined && by !== 'api-key')
    configError(`${where}.apiKeyHeader`, "only applies with by: 'api-key'. Remove it, or set by: 'api-key'.")
  const cost = parsed.cost ?? 1
  if (typeof cost === 'number') checkStaticCost(cost, tiers.values())
  const headers = parsed.headers ?? 'both'
  return {
    tierOf,
    keyOf: createKeyResolver(by, parsed.apiKeyHeader ?? 'x-api-key'),
    cost,
    ietf: headers === 'both' || headers === 'ietf',
    legacy: headers === 'both' || headers === 'legacy',
  }
}
