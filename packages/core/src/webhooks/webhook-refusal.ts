import { catalogProblem, type Problem, SecProblemError } from '../problem/index.js'

/**
 * Why a webhook delivery was refused. It is the `reason` extension of the 401 problem, stable
 * across releases:
 * - `missing-header`: a signature header is absent or empty;
 * - `malformed`: a header is present but unreadable (a timestamp that is not Unix seconds, an id
 *   with a `.` or a space, a header repeated with different values, no `version,signature` pair);
 * - `expired`: the timestamp is older than the tolerance;
 * - `future`: the timestamp is further ahead than the tolerance (a clock far off, or a forged time);
 * - `bad-signature`: no signature matches the payload under any configured secret;
 * - `replayed`: a delivery the replay store already saw within the tolerance.
 */
export type WebhookRefusal =
  | 'missing-header'
  | 'malformed'
  | 'expired'
  | 'future'
  | 'bad-signature'
  | 'replayed'

/** A refused delivery, with the problem a guard answers. */
export interface Refused {
  readonly ok: false
  readonly reason: WebhookRefusal
  readonly problem: Problem
}

/** The outcome of one verification step: the value it produced, or a refusal. */
export type Checked<T> = { readonly ok: true; readonly value: T } | Refused

/** A refusal with its 401 problem. The detail is fixed text: it never quotes a header, a secret or a signature. */
export function refused(reason: WebhookRefusal, detail: string): Refused {
  return { ok: false, reason, problem: catalogProblem('unauthorized', { detail, reason }) }
}

const brand = Symbol.for('@sec/core/WebhookVerificationError')

/**
 * A webhook delivery that failed verification. It is a `SecProblemError`: thrown from a guard or a
 * handler, it becomes its 401 problem. `reason` says which check failed.
 */
export class WebhookVerificationError extends SecProblemError {
  /** Recognizes instances by a registered symbol, like `SecProblemError`, but only this subclass's. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true
  }

  /** The brand {@link WebhookVerificationError}'s `instanceof` checks. */
  readonly [brand] = true
  /** Which check failed. */
  readonly reason: WebhookRefusal

  constructor(refusal: Refused) {
    super(refusal.problem)
    this.reason = refusal.reason
  }
}
