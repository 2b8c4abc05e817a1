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

  async function run(
    outcome: RequestOutcome,
    guards: readonly Guard[],
    rest: readonly Guard[],
  ): Promise<Outcome> {
    const ctx = outcome.ctx
    for (let i = 0; i < guards.length; i++) {
      const guard = guards[i] as Guard
      let decision: Decision | undefined
      try {
        let result = guard.check(ctx)
        if (isThenable(result)) result = await result
        decision = result ?? undefined
      } catch (error) {
        decision = decisionForError(outcome, error)
      }
      if (decision !== undefined) {
        await runAlways(outcome, guards, i + 1)
        await runAlways(outcome, rest, 0)
        outcome.decide(decision, guard.name)
        return outcome
      }
    }
    return outcome
  }

  function contextOf(outcome: Outcome | undefined): RequestContext | undefined {
    return outcome instanceof RequestOutcome ? outcome.ctx : undefined
  }

  return {
    async protect(request, route) {
      const ctx = new RequestContext(request, runtime, resolveClient)
      if (route?.params !== undefined) ctx.params = route.params
      const outcome = new RequestOutcome(ctx, runtime)
      const routeGuards = route?.guards ?? []
      await run(outcome, appGuards, routeGuards)
      if (outcome.response === undefined && routeGuards.length > 0) await run(outcome, routeGuards, [])
      return outcome
    },

    async resume(outcome, route) {
      if (!(outcome instanceof RequestOutcome))
        throw new TypeError('resume() takes an outcome returned by protect().')
      if (outcome.response !== undefined) return outcome
      if (route.params !== undefined) outcome.ctx.params = route.params
      return run(outcome, route.guards ?? [], [])
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
  }
}
