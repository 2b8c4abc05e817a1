import {
  catalogProblem,
  challenge,
  type Guard,
  type GuardContext,
  type Principal,
  type RateLimiter,
  rateLimitReports,
} from '@sec/core'
import type { LoginInput } from '../schemas/index.js'
import { type DemoEventSink, emitDemoEvent, eventSourceOf } from './demo-events.js'
import type { UserDirectory } from './user-directory.js'

/** How repeated logins are slowed down before they are locked out. */
export interface LoginSlowDown {
  /** Attempts an account makes within its window before each further one is held back. */
  readonly accountSlowAfter: number
  /** Attempts an IP makes within its window before each further one is held back. */
  readonly ipSlowAfter: number
  /** How much longer each attempt past the free ones is held than the one before, in ms. */
  readonly delayStep: number
  /** The longest an attempt is held, in ms. */
  readonly maxDelay: number
}

/** How repeated logins are slowed down, then locked out. */
export interface LoginThrottle extends LoginSlowDown {
  /**
   * Counts login attempts per account, all of them, before the password is checked; it refuses
   * (the lockout) once the account's limit is used up. A successful login resets it.
   */
  readonly accounts: RateLimiter
  /**
   * The name of the limiter of the route's per-IP `rateLimit` guard, which runs first and counts
   * every attempt from an IP, successes included; its report gives the IP's attempts so far.
   */
  readonly ipLimiter: string
}

/** Options of {@link passwordLogin}. */
export interface PasswordLoginOptions {
  readonly users: UserDirectory
  readonly throttle: LoginThrottle
  /** Where `auth.login-failed` and `auth.login-slowed` go. */
  readonly events: readonly DemoEventSink[]
  /** Waits `ms` before the slowed-down attempt goes on. */
  readonly wait: (ms: number) => Promise<void>
}

/** What a caller learns from a failed login, whichever of username and password was wrong. */
export const invalidCredentials = catalogProblem('unauthorized', {
  detail: 'The username or password is not correct.',
})

const tooManyAttempts = catalogProblem('rate-limited', {
  detail: 'Too many requests. Wait for the number of seconds in Retry-After before retrying.',
})

function attemptsOf(limit: number, remaining: number): number {
  return limit - remaining
}

/** The delay of an attempt: a step more for each attempt past the free ones, up to the cap. */
export function loginDelay(throttle: LoginSlowDown, accountAttempts: number, ipAttempts: number): number {
  const excess = Math.max(accountAttempts - throttle.accountSlowAfter, ipAttempts - throttle.ipSlowAfter, 0)
  return Math.min(throttle.maxDelay, excess * throttle.delayStep)
}

function ipAttempts(ctx: GuardContext, name: string): number {
  const report = rateLimitReports(ctx.facts).find((item) => item.limiter === name)
  return report === undefined ? 0 : attemptsOf(report.limit, report.remaining)
}

/**
 * The guard of `POST /v1/auth/token` that checks the username and password the route validated
 * (`LoginInputSchema`), and sets the principal the handler issues tokens to.
 *
 * 1. The attempt is counted against the account (the username, lower-cased, whether it exists or
 *    not, so that locking tells nothing about which accounts exist) before anything else, so that
 *    parallel attempts cannot slip past the count. A locked account gets a 429 with `Retry-After`
 *    and a `ratelimit.denied` event, and its password is not checked.
 * 2. Past the free attempts of the account or of the IP, the attempt is held back (the slow-down)
 *    with an `auth.login-slowed` event, before the password is checked, so that a correct and a
 *    wrong password wait alike.
 * 3. The password is checked with scrypt (an unknown username against a dummy hash): a failure is
 *    the same 401 for both, with an `auth.login-failed` event naming which for the server's logs.
 * 4. A success resets the account's count (its owner proved they know the password) but never the
 *    IP's: otherwise an attacker could sign in to an account of their own between guesses at
 *    others' and never reach the IP's limit.
 */
export function passwordLogin(options: PasswordLoginOptions): Guard {
  const { users, throttle, events, wait } = options
  const accounts = throttle.accounts
  return {
    name: 'password-login',
    async check(ctx) {
      const input = ctx.input.body as LoginInput
      const account = input.username.toLowerCase()
      const counted = await accounts.limit(account)
      if (!counted.allowed) {
        ctx.emit({
          type: 'ratelimit.denied',
          limiter: accounts.name,
          key: `account:${account}`,
          retryAfter: counted.retryAfter,
        })
        return challenge(tooManyAttempts, {
          'retry-after': String(Math.max(1, Math.ceil(counted.retryAfter / 1000))),
        })
      }
      const delay = loginDelay(
        throttle,
        attemptsOf(accounts.policy.limit, counted.remaining),
        ipAttempts(ctx, throttle.ipLimiter),
      )
      if (delay > 0) {
        emitDemoEvent(events, eventSourceOf(ctx), { type: 'auth.login-slowed', account, delay })
        await wait(delay)
      }
      const result = await users.authenticate(account, input.password)
      if (result.user === undefined) {
        emitDemoEvent(events, eventSourceOf(ctx), {
          type: 'auth.login-failed',
          account,
          reason: result.failure,
        })
        return challenge(invalidCredentials)
      }
      await accounts.reset(account)
      const user = result.user
      const requested = input.scope?.split(' ')
      const principal: Principal = {
        id: user.id,
        kind: 'user',
        scopes: requested === undefined ? user.scopes : user.scopes.filter((s) => requested.includes(s)),
        role: user.role,
      }
      ctx.principal = principal
      return undefined
    },
  }
}
