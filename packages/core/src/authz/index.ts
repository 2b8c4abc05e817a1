export type {
  AuthorizationDecision,
  AuthorizationQuery,
  AuthorizationReason,
  AuthorizationRequest,
  PolicyCondition,
} from './authorization.js'
export { type AuthorizeOptions, authorize } from './authorize-guard.js'
export { SecAuthzError } from './authz-error.js'
export { ownsResource } from './ownership.js'
export { definePolicy, type Policy, type PolicyDefinition, type PolicyRule } from './policy.js'
export { type RequireScopesOptions, requireScopes } from './require-scopes.js'
export type { RoleDefinition } from './role-graph.js'
