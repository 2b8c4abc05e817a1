import * as v from 'valibot'
import { configError, parseOptions } from '../config/index.js'
import { SecError } from '../errors/index.js'
import type { Clock, Principal } from '../pipeline/index.js'
import { systemClock } from '../pipeline/index.js'
import type {
  AuthorizationDecision,
  AuthorizationQuery,
  AuthorizationRequest,
  PolicyCondition,
} from './authorization.js'
import { SecAuthzError } from './authz-error.js'
import { type RoleDefinition, resolveRoles } from './role-graph.js'

/**
 * A rule of a policy: it allows (or denies) some actions, to holders of a permission, under a
 * condition. A rule matches when the action is one of its `actions`, the caller holds its
 * `permission` (if it names one) and its `when` condition (if any) returns `true`.
 */
export interface PolicyRule<TResource = unknown, TEnvironment = unknown> {
  /**
   * `'allow'` grants the actions when the rule matches; `'deny'` refuses them, whatever else
   * allows them. Default: `'allow'`.
   */
  readonly effect?: 'allow' | 'deny'
  /**
   * The actions the rule decides, e.g. `['notes:read']`. `'*'` (every action) is only accepted in
   * deny rules, e.g. to lock a suspended account out of everything.
   */
  readonly actions: readonly string[]
  /**
   * A permission the caller must hold, through its roles, for the rule to apply. It must be one
   * some role grants (a misspelt permission would make the rule dead). Default: none (the rule
   * applies to every authenticated caller).
   */
  readonly permission?: string
  /** The attribute condition. Default: none (the rule applies whenever action and permission do). */
  readonly when?: PolicyCondition<TResource, TEnvironment>
  /** A name for decisions and errors. Default: `rules[<index>]`. */
  readonly name?: string
}

/** What {@link definePolicy} takes. */
export interface PolicyDefinition<TResource = unknown, TEnvironment = unknown> {
  /**
   * The roles, by name, with the permissions they grant and the roles they inherit from.
   * Inheritance is resolved now; a cycle or an unknown parent is a `SecConfigError`.
   */
  readonly roles: Readonly<Record<string, RoleDefinition>>
  /**
   * Rules, for attribute conditions (ABAC) and ownership. An action that has allow rules is allowed
   * only through them: a permission of the same name no longer allows it alone, so a rule such as
   * `{ actions: ['notes:read'], permission: 'notes:read', when: ownsResource() }` narrows
   * `notes:read` to the caller's own notes. Deny rules win over everything. Default: none.
   */
  readonly rules?: readonly PolicyRule<TResource, TEnvironment>[]
  /**
   * Reads the role names of a principal. Names the policy does not define are ignored, so they
   * grant nothing. Default: `principal.roles` when it is an array (its strings only).
   */
  readonly rolesOf?: (principal: Principal) => readonly unknown[] | undefined
  /** The clock conditions see as `time`. Default: `Date.now`. Inject one in tests. */
  readonly clock?: Clock
}

/**
 * A policy: one place that says who may do what, usable from a route guard ({@link authorize})
 * and from any other code (services, jobs, data access) to check again.
 *
 * Deny by default: an action is allowed only when a grant (a permission or an allow rule) says
 * so and no deny rule matches.
 */
export interface Policy<TResource = unknown, TEnvironment = unknown> {
  /** Decides a query. Never throws for a denial; throws only when a condition itself fails. */
  decide(query: AuthorizationQuery<TResource, TEnvironment>): AuthorizationDecision
  /**
   * Whether `principal` may perform `action` (on `resource`, in `environment`). Never throws for
   * a denial.
   */
  authorize(
    principal: Principal | undefined,
    action: string,
    resource?: TResource,
    environment?: TEnvironment,
  ): AuthorizationDecision
  /**
   * Like {@link Policy.authorize}, but throws a {@link SecAuthzError} (code `SEC_FORBIDDEN`) when
   * denied: the service layer's re-check, so a forgotten route guard does not open the data.
   */
  assert(
    principal: Principal | undefined,
    action: string,
    resource?: TResource,
    environment?: TEnvironment,
  ): void
  /** The permissions each role grants, inheritance resolved. */
  readonly permissions: ReadonlyMap<string, ReadonlySet<string>>
}

interface CompiledRule {
  readonly name: string
  /** The decision this rule makes when it matches, built once. */
  readonly decision: AuthorizationDecision
  readonly permission: string | undefined
  readonly when: PolicyCondition<unknown, unknown> | undefined
}

interface ActionRules {
  readonly allow: CompiledRule[]
  readonly deny: CompiledRule[]
}

const nameSchema = v.pipe(v.string(), v.minLength(1, 'Expected a non-empty string'))
const functionSchema = v.custom<(...args: never[]) => unknown>(
  (x) => typeof x === 'function',
  'Expected a function',
)

const definitionSchema = v.strictObject({
  roles: v.record(
    nameSchema,
    v.strictObject({
      inherits: v.optional(v.array(nameSchema)),
      permissions: v.optional(v.array(nameSchema)),
    }),
  ),
  rules: v.optional(
    v.array(
      v.strictObject({
        effect: v.optional(v.picklist(['allow', 'deny'], "Expected 'allow' or 'deny'")),
        actions: v.pipe(v.array(nameSchema), v.minLength(1, 'Expected at least one action')),
        permission: v.optional(nameSchema),
        when: v.optional(functionSchema),
        name: v.optional(nameSchema),
      }),
    ),
  ),
  rolesOf: v.optional(functionSchema),
  clock: v.optional(
    v.custom<Clock>((x) => typeof (x as Clock | null)?.now === 'function', 'Expected { now(): number }'),
  ),
})

const noRoles: readonly string[] = []

// Decisions are immutable values: sharing them saves an allocation per call.
const noPrincipal: AuthorizationDecision = Object.freeze({
  allowed: false,
  reason: 'no-principal',
  rule: undefined,
})
const noMatchingRule: AuthorizationDecision = Object.freeze({
  allowed: false,
  reason: 'no-matching-rule',
  rule: undefined,
})
const grantedByPermission: AuthorizationDecision = Object.freeze({
  allowed: true,
  reason: 'granted-by-permission',
  rule: undefined,
})
const noPermission: AuthorizationDecision = Object.freeze({
  allowed: false,
  reason: 'no-permission',
  rule: undefined,
})

function defaultRolesOf(principal: Principal): readonly unknown[] | undefined {
  const roles = principal.roles
  return Array.isArray(roles) ? roles : undefined
}

/**
 * Defines a policy: roles with inherited permissions (RBAC), rules with attribute conditions
 * (ABAC) and ownership, deny by default, deny rules first. Everything is checked and compiled
 * now (a `SecConfigError` names the option and the fix); a decision then costs a map lookup per
 * action, one set lookup per role, and the conditions of the rules that name the action.
 *
 * How an action is decided, in order:
 * 1. no principal: denied (`no-principal`);
 * 2. a matching deny rule: denied (`denied-by-rule`);
 * 3. the action has allow rules: allowed when one matches (`allowed-by-rule`), else denied
 *    (`no-matching-rule`);
 * 4. otherwise allowed when a role of the principal grants the permission named like the action
 *    (`granted-by-permission`), else denied (`no-permission`).
 *
 * @example
 * const notes = definePolicy<Note>({
 *   roles: {
 *     user: { permissions: ['notes:read', 'notes:write'] },
 *     admin: { inherits: ['user'], permissions: ['notes:delete:any'] },
 *   },
 *   rules: [
 *     { actions: ['notes:read'], permission: 'notes:read', when: ownsResource() },
 *     { actions: ['notes:create'], permission: 'notes:write' },
 *     { actions: ['notes:delete'], permission: 'notes:write', when: ownsResource() },
 *     { actions: ['notes:delete'], permission: 'notes:delete:any' },
 *   ],
 * })
 * notes.authorize(principal, 'notes:delete', note) // { allowed: true, reason: 'allowed-by-rule', rule: 'rules[2]' }
 */
export function definePolicy<TResource = unknown, TEnvironment = unknown>(
  definition: PolicyDefinition<TResource, TEnvironment>,
): Policy<TResource, TEnvironment> {
  const parsed = parseOptions('definePolicy', definitionSchema, definition)
  const permissions = resolveRoles('definePolicy', parsed.roles as Readonly<Record<string, RoleDefinition>>)
  const granted = new Set<string>()
  for (const set of permissions.values()) for (const permission of set) granted.add(permission)

  const byAction = new Map<string, ActionRules>()
  const denyAll: CompiledRule[] = []
  parsed.rules?.forEach((rule, i) => {
    const path = `definePolicy.rules[${i}]`
    const effect = rule.effect ?? 'allow'
    if (rule.permission !== undefined && !granted.has(rule.permission))
      configError(
        `${path}.permission`,
        `names ${JSON.stringify(rule.permission)}, which no role grants, so the rule could never apply. Grant it to a role, or fix the name.`,
      )
    const name = rule.name ?? `rules[${i}]`
    const compiled: CompiledRule = {
      name,
      decision: Object.freeze(
        effect === 'allow'
          ? { allowed: true, reason: 'allowed-by-rule', rule: name }
          : { allowed: false, reason: 'denied-by-rule', rule: name },
      ),
      permission: rule.permission,
      when: rule.when as PolicyCondition<unknown, unknown> | undefined,
    }
    rule.actions.forEach((action, j) => {
      if (action === '*') {
        if (effect === 'allow')
          configError(
            `${path}.actions[${j}]`,
            "'*' is only accepted in deny rules: an allow rule must list the actions it grants (least privilege).",
          )
        denyAll.push(compiled)
        return
      }
      let rules = byAction.get(action)
      if (rules === undefined) {
        rules = { allow: [], deny: [] }
        byAction.set(action, rules)
      }
      rules[effect].push(compiled)
    })
  })

  const rolesOf = (parsed.rolesOf as PolicyDefinition['rolesOf']) ?? defaultRolesOf
  const clock = parsed.clock ?? systemClock

  function knownRoles(principal: Principal): readonly string[] {
    const names = rolesOf(principal)
    if (!Array.isArray(names) || names.length === 0) return noRoles
    const known: string[] = []
    for (const name of names) if (typeof name === 'string' && permissions.has(name)) known.push(name)
    return known
  }

  function holds(roles: readonly string[], permission: string): boolean {
    for (const role of roles) if (permissions.get(role)?.has(permission)) return true
    return false
  }

  function matches(rule: CompiledRule, request: AuthorizationRequest<unknown, unknown>): boolean {
    if (rule.permission !== undefined && !holds(request.roles, rule.permission)) return false
    if (rule.when === undefined) return true
    const result: unknown = rule.when(request)
    if (typeof result !== 'boolean')
      throw new SecError(
        'SEC_AUTHZ_CONDITION',
        `The condition of ${rule.name} returned ${result instanceof Promise ? 'a Promise' : typeof result}, not a boolean. Conditions must be synchronous and return true or false.`,
      )
    return result
  }

  function decide(query: AuthorizationQuery<TResource, TEnvironment>): AuthorizationDecision {
    const principal = query.principal
    if (principal === undefined || principal === null) return noPrincipal
    const action = query.action
    const roles = knownRoles(principal)
    const rules = byAction.get(action)
    const request: AuthorizationRequest<unknown, unknown> = {
      principal,
      action,
      resource: query.resource,
      environment: query.environment,
      time: query.time ?? clock.now(),
      roles,
    }
    for (const rule of denyAll) if (matches(rule, request)) return rule.decision
    if (rules !== undefined) {
      for (const rule of rules.deny) if (matches(rule, request)) return rule.decision
      if (rules.allow.length > 0) {
        for (const rule of rules.allow) if (matches(rule, request)) return rule.decision
        return noMatchingRule
      }
    }
    return holds(roles, action) ? grantedByPermission : noPermission
  }

  function authorize(
    principal: Principal | undefined,
    action: string,
    resource?: TResource,
    environment?: TEnvironment,
  ): AuthorizationDecision {
    return decide({ principal, action, resource, environment })
  }

  return {
    decide,
    authorize,
    assert(principal, action, resource, environment) {
      const decision = authorize(principal, action, resource, environment)
      if (!decision.allowed) throw new SecAuthzError(action, decision)
    },
    permissions,
  }
}
