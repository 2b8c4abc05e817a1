import type { ClientInfo } from '../client-ip/index.js'
import type { Verdict } from '../events/index.js'
import { type Problem, problemContentType } from '../problem/index.js'
import type { Decision, HeaderRecord, RequestInput } from './guard.js'
import type { Principal } from './principal.js'
import type { RequestContext } from './request-context.js'
import { ResponseHeaders } from './response-headers.js'
import type { Runtime } from './runtime.js'

/** A response the security layer sends itself: a problem, a redirect, a preflight answer. */
export interface EarlyResponse {
  /** The status to send. */
  readonly status: number
  /** Every header to send (security headers, CORS, `Content-Type`, decision headers). */
  readonly headers: ResponseHeaders
  /** The body: serialized problem JSON, or `null` for none. */
  readonly body: string | null
}

/** What the adapter reports when the response is done. */
export interface FinishResult {
  /** The status actually sent. */
  readonly status: number
}

/** The result of running the guards on a request. Adapters apply it; handlers read it. */
export interface Outcome {
  /** `allow`, `deny` or `challenge`. A preflight answered by CORS is `allow` with a `response`. */
  readonly verdict: Verdict
  /** Why the request was ended early (e.g. `cors-denied`, `cors-preflight`); `undefined` otherwise. */
  readonly reason: string | undefined
  /** The guard that ended it, if one did. */
  readonly guard: string | undefined
  /** The problem sent, on `deny` and `challenge`. */
  readonly problem: Problem | undefined
  /** Set when the security layer answers the request itself: the adapter sends it and calls no handler. */
  readonly response: EarlyResponse | undefined
  /** Headers to set on the handler's response (security headers, CORS, rate limits). */
  readonly headers: ResponseHeaders
  /** Lower-case names of headers the adapter must remove from the response (e.g. `x-powered-by`). */
  readonly removeHeaders: readonly string[]
  /** The resolved client. */
  readonly client: ClientInfo
  /** The authenticated caller, if any. */
  readonly principal: Principal | undefined
  /** Facts the guards recorded. */
  readonly facts: Readonly<Record<string, unknown>>
  /** Parsed and validated input. */
  readonly input: Readonly<RequestInput>
  /** Shorthand for `input.body`. */
  readonly body: unknown
  /** The request id; a 500 sends it to the caller as `correlationId`. */
  readonly requestId: string
  /**
   * Whether {@link Outcome.finish} emits anything: `true` when the Security has `events` sinks.
   * When `false`, an adapter may skip waiting for the response to end just to report its status.
   */
  readonly observed: boolean
  /** Reports the final status once the response is sent; emits the `request.completed` event. Only the first call counts. */
  finish(result: FinishResult): void
}

/** A problem response carrying the context's response headers. */
export function problemResponse(
  base: ResponseHeaders | undefined,
  problem: Problem,
  extra: HeaderRecord | undefined,
): EarlyResponse {
  const headers = new ResponseHeaders(base)
  if (extra !== undefined) for (const name in extra) headers.set(name, extra[name] as string)
  headers.set('content-type', problemContentType)
  if (!headers.has('cache-control')) headers.set('cache-control', 'no-store')
  return { status: problem.status, headers, body: JSON.stringify(problem) }
}

/** The {@link Outcome} of one request. */
export class RequestOutcome implements Outcome {
  readonly ctx: RequestContext
  verdict: Verdict = 'allow'
  reason: string | undefined = undefined
  guard: string | undefined = undefined
  problem: Problem | undefined = undefined
  response: EarlyResponse | undefined = undefined
  readonly #runtime: Runtime
  #finished = false

  constructor(ctx: RequestContext, runtime: Runtime) {
    this.ctx = ctx
    this.#runtime = runtime
  }

  get headers(): ResponseHeaders {
    return this.ctx.responseHeaders
  }
  get removeHeaders(): readonly string[] {
    return this.ctx.removedHeaders
  }
  get client(): ClientInfo {
    return this.ctx.client
  }
  get principal(): Principal | undefined {
    return this.ctx.principal
  }
  get facts(): Readonly<Record<string, unknown>> {
    return this.ctx.facts
  }
  get input(): Readonly<RequestInput> {
    return this.ctx.input
  }
  get body(): unknown {
    return this.ctx.input.body
  }
  get requestId(): string {
    return this.ctx.requestId
  }
  get observed(): boolean {
    return this.#runtime.hasSinks
  }

  /** Records the decision that ended the request and builds its response (after `always` guards ran). */
  decide(decision: Decision, guard: string): void {
    this.guard = guard
    this.reason = decision.reason
    if (decision.kind === 'respond') {
      const headers = new ResponseHeaders(this.ctx.responseHeaders)
      if (decision.headers !== undefined)
        for (const name in decision.headers) headers.set(name, decision.headers[name] as string)
      this.response = { status: decision.status, headers, body: null }
      return
    }
    this.verdict = decision.kind
    this.problem = decision.problem
    this.response = problemResponse(this.ctx.responseHeaders, decision.problem, decision.headers)
  }

  finish(result: FinishResult): void {
    if (this.#finished) return
    this.#finished = true
    if (!this.#runtime.hasSinks) return
    const ctx = this.ctx
    this.#runtime.emit({
      type: 'request.completed',
      time: this.#runtime.clock.now(),
      requestId: ctx.requestId,
      method: ctx.request.method,
      path: ctx.path,
      clientIp: ctx.client.ip,
      verdict: this.verdict,
      reason: this.reason,
      guard: this.guard,
      status: result.status,
      principalId: ctx.principal?.id,
    })
  }
}
