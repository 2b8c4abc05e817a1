import type { Principal } from '../pipeline/index.js'

/**
 * What a policy condition sees: who asks to do what, on which resource, in which environment.
 * `TResource` is the type of the resources the policy guards, `TEnvironment` whatever context the
 * caller passes (tenant, IP range, feature flags).
 */
export interface AuthorizationRequest<TResource = unknown, TEnvironment = unknown> {
  /** The caller. Conditions never see a missing principal: that request is denied before. */
  readonly principal: Principal
  /** The action asked for, e.g. `'notes:delete'`. */
  readonly action: string
  /** The resource acted on, `undefined` for actions on a collection (list, create). */
  readonly resource: TResource | undefined
  /** The environment the caller passed, `undefined` when none. */
  readonly environment: TEnvironment | undefined
  /** The time of the request, in ms since the epoch (the policy's clock, or the pipeline's). */
  readonly time: number
  /** The principal's roles that the policy defines; unknown role names are left out. */
  readonly roles: readonly string[]
}

/**
 * An attribute condition: a plain, synchronous function that returns `true` when the rule
 * applies. It must return a boolean: anything else (a Promise from an `async` function, say)
 * throws, so that a mistake never turns into an allow or a skipped deny.
 */
export type PolicyCondition<TResource = unknown, TEnvironment = unknown> = (
  request: AuthorizationRequest<TResource, TEnvironment>,
) => boolean

/**
 * Why a policy decided as it did; stable across releases.
 * - `no-principal`: there is no authenticated caller.
 * - `denied-by-rule`: a deny rule matched (deny rules win over every grant).
 * - `allowed-by-rule`: an allow rule for the action matched.
 * - `no-matching-rule`: the action has allow rules, and none matched.
 * - `granted-by-permission`: the action has no allow rule, and one of the caller's roles grants
 *   the permission of the same name.
 * - `no-permission`: the action has no allow rule, and no role of the caller grants it.
 */
export type AuthorizationReason =
  | 'no-principal'
  | 'denied-by-rule'
  | 'allowed-by-rule'
  | 'no-matching-rule'
  | 'granted-by-permission'
  | 'no-permission'

/** The answer of a policy. Denials are answers, not errors. */
export interface AuthorizationDecision {
  /** Whether the action is allowed. */
  readonly allowed: boolean
  /** Why. */
  readonly reason: AuthorizationReason
  /** The rule that decided (its `name`, or `rules[i]`), for `allowed-by-rule` and `denied-by-rule`. */
  readonly rule: string | undefined
}

/** One authorization question, in object form: see {@link Policy.decide}. */
export interface AuthorizationQuery<TResource = unknown, TEnvironment = unknown> {
  /** The caller; `undefined` is always denied (`no-principal`). */
  readonly principal: Principal | undefined
  /** The action, e.g. `'notes:read'`. */
  readonly action: string
  /** The resource acted on. Default: none (an action on a collection). */
  readonly resource?: TResource | undefined
  /** The environment for conditions. Default: none. */
  readonly environment?: TEnvironment | undefined
  /** The time of the request, in ms since the epoch. Default: the policy's clock. */
  readonly time?: number | undefined
}
