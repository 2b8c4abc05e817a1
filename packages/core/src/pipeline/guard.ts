import type { ClientInfo } from '../client-ip/index.js'
import type { GuardEvent } from '../events/index.js'
import { type Problem, problemTypePrefix } from '../problem/index.js'
import type { SecurityRequest } from '../request/index.js'
import type { Principal } from './principal.js'
import type { ResponseHeaders } from './response-headers.js'

/** Response headers a decision adds, by name. */
export type HeaderRecord = Readonly<Record<string, string>>

/** A guard ends the request with a problem: `deny` (e.g. 403, 413) or `challenge` (e.g. 401, 429). */
export interface ProblemDecision {
  readonly kind: 'deny' | 'challenge'
  /** The reason, from the problem type: `urn:sec:problem:cors-denied` gives `cors-denied`. */
  readonly reason: string
  readonly problem: Problem
  readonly headers: HeaderRecord | undefined
}

/** A guard answers the request itself, without a problem: a CORS preflight's 204. */
export interface RespondDecision {
  readonly kind: 'respond'
  readonly reason: string
  readonly status: number
  readonly headers: HeaderRecord | undefined
}

/** What a guard may return to end the request. Returning nothing lets the request go on. */
export type Decision = ProblemDecision | RespondDecision

function reasonOf(problem: Problem): string {
  return problem.type.startsWith(problemTypePrefix)
    ? problem.type.slice(problemTypePrefix.length)
    : String(problem.status)
}

/** Ends the request with a problem. */
export function deny(problem: Problem, headers?: HeaderRecord): ProblemDecision {
  return { kind: 'deny', reason: reasonOf(problem), problem, headers }
}

/** Ends the request with a problem the caller can resolve (authenticate, wait, solve a challenge). */
export function challenge(problem: Problem, headers?: HeaderRecord): ProblemDecision {
  return { kind: 'challenge', reason: reasonOf(problem), problem, headers }
}

/** Answers the request without a body and without calling the handler (a preflight). */
export function respond(reason: string, status: number, headers?: HeaderRecord): RespondDecision {
  return { kind: 'respond', reason, status, headers }
}

/** Input that validation guards have parsed and checked, for the handler to use. */
export interface RequestInput {
  /** The parsed (and, once validated, typed) body; `undefined` until a body guard ran. */
  body: unknown
  /** The validated query, when a query schema ran. */
  query: unknown
  /** The validated route params, when a params schema ran. */
  params: unknown
  /** The validated headers, when a headers schema ran. */
  headers: unknown
}

/**
 * What a guard sees and may change while it checks a request. Everything is computed lazily:
 * a guard that only reads one header costs one header lookup.
 */
export interface GuardContext {
  /** The request. */
  readonly request: SecurityRequest
  /** The resolved client (IP through the trusted proxies, protocol, host). */
  readonly client: ClientInfo
  /** The path of the request target, undecoded, without the query. */
  readonly path: string
  /** The query parameters. */
  readonly query: URLSearchParams
  /** The route params the adapter matched, e.g. `{ id: 'n_…' }`. */
  readonly params: Readonly<Record<string, string>>
  /**
   * Headers to send with the response, whatever the verdict. Values are not checked here: the
   * framework checks them when the adapter writes the response (see {@link ResponseHeaders}).
   */
  readonly responseHeaders: ResponseHeaders
  /** Asks the adapter to remove a header the framework sets (e.g. `X-Powered-By`). */
  removeResponseHeader(name: string): void
  /** The authenticated caller, once an authentication guard set it. */
  principal: Principal | undefined
  /** Facts guards record for later guards, the handler and events. */
  readonly facts: Record<string, unknown>
  /** Parsed and validated input. */
  readonly input: RequestInput
  /** The request id (random, generated on first use). */
  readonly requestId: string
  /** The raw body, bounded by `limit` bytes (default: the `bodyLimit` given to `createSecurity`). */
  body(limit?: number): Promise<Uint8Array>
  /** The current time in ms since the epoch, from the configured clock. */
  now(): number
  /** Guard-private state for this request, keyed by a symbol the guard owns. */
  local<T>(key: symbol): T | undefined
  /** Sets guard-private state for this request. */
  setLocal(key: symbol, value: unknown): void
  /** Emits a security event; the pipeline adds the time, request id, method, path and client IP. */
  emit(event: GuardEvent): void
}

/** What a guard's `check` returns. */
// biome-ignore lint/suspicious/noConfusingVoidType: lets a guard's check simply not return when the request passes
export type GuardResult = Decision | undefined | void

/**
 * A check in the pipeline. Guards run in order; the first decision ends the request.
 */
export interface Guard {
  /** A name for events and errors, e.g. `cors`. */
  readonly name: string
  /**
   * Run even when an earlier guard already ended the request, so that its headers reach the
   * problem response too (security headers, CORS). Its own decision is then ignored. Default: `false`.
   */
  readonly always?: boolean
  /** Checks the request: return nothing to let it pass, or a {@link Decision} to end it. */
  check(ctx: GuardContext): GuardResult | Promise<GuardResult>
}
