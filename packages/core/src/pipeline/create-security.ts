import * as v from 'valibot'
import { createClientResolver, type TrustProxy } from '../client-ip/index.js'
import { configError, parseOptions } from '../config/index.js'
import type { EventSink } from '../events/index.js'
import { catalogProblem, SecProblemError, statusProblem } from '../problem/index.js'
import type { SecurityRequest } from '../request/index.js'
import { isGuard } from './adapter-checks.js'
import { type Decision, deny, type Guard, type GuardResult } from './guard.js'
import { type EarlyResponse, type Outcome, problemResponse, RequestOutcome } from './outcome.js'
import { RequestContext } from './request-context.js'
import { type Clock, cryptoRandom, type RandomSource, Runtime, systemClock } from './runtime.js'

/** Options of {@link createSecurity}. */
export interface SecurityOptions {
  /** Guards run on every request, in order. Default: none. */
  readonly guards?: readonly Guard[]
  /**
   * Which proxies in front of the app are trusted to report the client's address, scheme and
   * host. Default: `false` (none: forwarding headers are ignored). See {@link TrustProxy}.
   */
  readonly trustProxy?: TrustProxy
  /** How many leading bits of an IPv6 address key a client, 1 to 128. Default: `64`. */
  readonly ipv6Prefix?: number
  /** The largest body a guard reads when it names no limit of its own, in bytes. Default: `1048576` (1 MiB). */
  readonly bodyLimit?: number
  /** Where security events go. Default: nowhere. */
  readonly events?: EventSink | readonly EventSink[]
  /** The clock. Default: `Date.now`. Inject one in tests. */
  readonly clock?: Clock
  /** The random source. Default: `crypto.getRandomValues`. Inject one in tests. */
  readonly random?: RandomSource
}

/** Per-route security: guards that run after the app's guards, and the route's params. */
export interface RouteSecurity {
  /** Guards for this route, run after the app-wide ones. Default: none. */
  readonly guards?: readonly Guard[]
  /** The params the framework matched for this route. Default: none. */
  readonly params?: Readonly<Record<string, string>>
}

/** A configured security pipeline. Adapters call it; so can any code that has a request. */
export interface Security {
  /** Runs the app's guards, then the route's, on a request. Never rejects: an unexpected error becomes a 500 outcome. */
  protect(request: SecurityRequest, route?: RouteSecurity): Promise<Outcome>
  /**
   * Runs a route's guards on a request the app-wide guards already allowed (Express and Koa route
   * middleware). An outcome that already ended is returned unchanged.
   */
  resume(outcome: Outcome, route: RouteSecurity): Promise<Outcome>
  /**
   * The problem response for an error that reached a framework's error handler: a
   * `SecProblemError` keeps its problem, a 4xx error (`status` or `statusCode`) gets a bare problem
   * with that status, anything else a 500 whose only detail is a `correlationId`, with a
   * `request.error` event. Never exposes an error's message or stack.
   */
  errorResponse(error: unknown, outcome?: Outcome): EarlyResponse
  /** A bare problem response for a status, e.g. a framework's 404 or 405. */
  statusResponse(status: number, outcome?: Outcome): EarlyResponse
  /**
   * Whether `outcome.finish()` emits anything: `true` when `events` sinks were given. An adapter
   * may skip reporting each response's status when it is `false`. Optional for objects made
   * elsewhere than `createSecurity()`; treat a missing value as `true`.
   */
  readonly observed?: boolean
}

const guardSchema = v.custom<Guard>(
  isGuard,
  'Expected a guard (an object with a name and a check function), such as cors({ ... })',
)

const optionsSchema = v.strictObject({
  guards: v.optional(v.array(guardSchema)),
  trustProxy: v.optional(v.unknown()),
  ipv6Prefix: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(128))),
  bodyLimit: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(Number.MAX_SAFE_INTEGER))),
  events: v.optional(
    v.union([
      v.custom<EventSink>((x) => typeof x === 'function', 'Expected a function'),
      v.array(v.custom<EventSink>((x) => typeof x === 'function', 'Expected a function')),
    ]),
  ),
  clock: v.optional(
    v.custom<Clock>((x) => typeof (x as Clock | null)?.now === 'function', 'Expected { now(): number }'),
  ),
  random: v.optional(
    v.custom<RandomSource>((x) => typeof x === 'function', 'Expected a function like crypto.getRandomValues'),
  ),
})

const noGuards: readonly Guard[] = []

function isThenable(value: unknown): value is PromiseLike<GuardResult> {
  return typeof (value as PromiseLike<unknown> | null)?.then === 'function'
}

function errorStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined
  const status = (error as { status?: unknown }).status ?? (error as { statusCode?: unknown }).statusCode
  return typeof status === 'number' && Number.isInteger(status) && status >= 400 && status <= 499
    ? status
    : undefined
}

/**
 * Creates the security pipeline. Options are checked now: an unknown or malformed option throws a
 * `SecConfigError` naming it.
 *
 * @example
 * const security = createSecurity({ trustProxy: ['loopback'], guards: [https(), headers('api'), cors({ origins: ['https://app.example.com'] })] })
 */
export function createSecurity(options: SecurityOptions = {}): Security {
  const parsed = parseOptions('createSecurity', optionsSchema, options)
  if (parsed.trustProxy === true) {
    configError(
      'createSecurity.trustProxy',
      'true would let any caller choose its own IP. List the proxies instead, e.g. ["loopback"] or ["10.0.0.0/8"], or give a hop count.',
    )
  }
  const resolveClient = createClientResolver(
    {
      ...(parsed.trustProxy !== undefined && { trustProxy: parsed.trustProxy as TrustProxy }),
      ...(parsed.ipv6Prefix !== undefined && { ipv6Prefix: parsed.ipv6Prefix }),
    },
    'createSecurity',
  )
  const sinks =
    parsed.events === undefined ? [] : Array.isArray(parsed.events) ? parsed.events : [parsed.events]
  const runtime = new Runtime(
    parsed.clock ?? systemClock,
    parsed.random ?? cryptoRandom,
    parsed.bodyLimit ?? 1_048_576,
    sinks as EventSink[],
  )
  const appGuards: readonly Guard[] = parsed.guards ?? []

  function decisionForError(outcome: RequestOutcome, error: unknown): Decision {
    if (error instanceof SecProblemError) return deny(error.problem, error.headers)
    const ctx = outcome.ctx
    runtime.emit({
      type: 'request.error',
      time: runtime.clock.now(),
      requestId: ctx.requestId,
      method: ctx.request.method,
      path: ctx.path,
      clientIp: ctx.client.ip,
      error,
    })
    return deny(catalogProblem('internal-error', { correlationId: ctx.requestId }))
  }

  async function runAlways(outcome: RequestOutcome, guards: readonly Guard[], from: number): Promise<void> {
    for (let i = from; i < guards.length; i++) {
      const guard = guards[i] as Guard
      if (!guard.always) continue
      try {
        const result = guard.check(outcome.ctx)
        if (isThenable(result)) await result
      } catch {
        // The request already ended; this guard only decorates the response.
      }
    }
  }

  async function end(
    outcome: RequestOutcome,
    guards: readonly Guard[],
    rest: readonly Guard[],
    i: number,
    decision: Decision,
  ): Promise<Outcome> {
    await runAlways(outcome, guards, i + 1)
    await runAlways(outcome, rest, 0)
    outcome.decide(decision, (guards[i] as Guard).name)
    return outcome
  }

  /** Runs `guards` from `from` on; `pending` is what guard `from - 1` returned, still to settle. */
  async function runAsync(
    outcome: RequestOutcome,
    guards: readonly Guard[],
    rest: readonly Guard[],
    from: number,
    pending: PromiseLike<GuardResult>,
  ): Promise<Outcome> {
    let decision: Decision | undefined
    try {
      decision = (await pending) ?? undefined
    } catch (error) {
      decision = decisionForError(outcome, error)
    }
    if (decision !== undefined) return end(outcome, guards, rest, from - 1, decision)
    const next = run(outcome, guards, rest, from)
    return isThenable(next) ? next : outcome
  }

  /**
   * Runs `guards` in order from `from`. It stays synchronous while the guards answer
   * synchronously (headers, CORS, HTTPS, an in-process rate limit), so only the guards that wait
   * (a body, a remote store) cost a promise. `undefined` means every guard passed.
   */
  function run(
    outcome: RequestOutcome,
    guards: readonly Guard[],
    rest: readonly Guard[],
    from = 0,
  ): Promise<Outcome> | undefined {
    const ctx = outcome.ctx
    for (let i = from; i < guards.length; i++) {
      const guard = guards[i] as Guard
      let decision: Decision | undefined
      try {
        const result = guard.check(ctx)
        if (isThenable(result)) return runAsync(outcome, guards, rest, i + 1, result)
        decision = result ?? undefined
      } catch (error) {
        decision = decisionForError(outcome, error)
      }
      if (decision !== undefined) return end(outcome, guards, rest, i, decision)
    }
    return undefined
  }

  async function runRoute(outcome: RequestOutcome, pending: Promise<Outcome>, route: readonly Guard[]) {
    await pending
    if (outcome.response === undefined && route.length > 0) await run(outcome, route, [])
    return outcome
  }

  function contextOf(outcome: Outcome | undefined): RequestContext | undefined {
    return outcome instanceof RequestOutcome ? outcome.ctx : undefined
  }

  return {
    protect(request, route) {
      // Not an async function, so that guards answering synchronously cost no promise; a throw
      // (a request object that is not a SecurityRequest) still reaches the caller as a rejection.
      try {
        const ctx = new RequestContext(request, runtime, resolveClient)
        if (route?.params !== undefined) ctx.params = route.params
        const outcome = new RequestOutcome(ctx, runtime)
        const routeGuards = route?.guards ?? noGuards
        const app = run(outcome, appGuards, routeGuards)
        if (app !== undefined) return runRoute(outcome, app, routeGuards)
        if (outcome.response !== undefined || routeGuards.length === 0) return Promise.resolve(outcome)
        return run(outcome, routeGuards, noGuards) ?? Promise.resolve(outcome)
      } catch (error) {
        return Promise.reject(error)
      }
    },

    async resume(outcome, route) {
      if (!(outcome instanceof RequestOutcome))
        throw new TypeError('resume() takes an outcome returned by protect().')
      if (outcome.response !== undefined) return outcome
      if (route.params !== undefined) outcome.ctx.params = route.params
      return (await run(outcome, route.guards ?? noGuards, noGuards)) ?? outcome
    },

    errorResponse(error, outcome) {
      const ctx = contextOf(outcome)
      const headers = ctx?.responseHeaders
      if (error instanceof SecProblemError) return problemResponse(headers, error.problem, error.headers)
      const status = errorStatus(error)
      if (status !== undefined) return problemResponse(headers, statusProblem(status), undefined)
      const requestId = ctx?.requestId ?? runtime.newId()
      runtime.emit({
        type: 'request.error',
        time: runtime.clock.now(),
        requestId,
        method: ctx?.request.method ?? '',
        path: ctx?.path ?? '',
        clientIp: ctx?.client.ip,
        error,
      })
      return problemResponse(
        headers,
        catalogProblem('internal-error', { correlationId: requestId }),
        undefined,
      )
    },

    statusResponse(status, outcome) {
      return problemResponse(contextOf(outcome)?.responseHeaders, statusProblem(status), undefined)
    },

    observed: runtime.hasSinks,
  }
}
