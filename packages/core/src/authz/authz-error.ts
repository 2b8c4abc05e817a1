import { catalogProblem, SecProblemError } from '../problem/index.js'
import type { AuthorizationDecision } from './authorization.js'

const brand = Symbol.for('@sec/core/SecAuthzError')

/**
 * Thrown by {@link Policy.assert} when a policy denies an action, for service and data layers
 * that re-check what the route already checked. Its `code` is `SEC_FORBIDDEN`; it carries the
 * `forbidden` (403) problem, so a framework error handler that hands it to
 * `security.errorResponse` answers a 403 problem. The message names the action and the reason,
 * never the resource.
 */
export class SecAuthzError extends SecProblemError {
  /**
   * Recognizes instances by a registered symbol, like {@link SecProblemError}, so that two copies of
   * @sec/core recognize each other's errors, and a plain `SecProblemError` is not taken for one.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true
  }

  /** The brand {@link SecAuthzError}'s `instanceof` checks. */
  readonly [brand] = true
  /** The action that was denied. */
  readonly action: string
  /** The policy's decision. */
  readonly decision: AuthorizationDecision

  constructor(action: string, decision: AuthorizationDecision) {
    super(catalogProblem('forbidden'))
    this.message = `${JSON.stringify(action)} is not allowed (${decision.reason}${decision.rule === undefined ? '' : `: ${decision.rule}`}).`
    this.action = action
    this.decision = decision
  }
}
