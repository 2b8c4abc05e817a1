import { configError } from '../config/index.js'

/** A role: the permissions it grants and the roles whose permissions it inherits. */
export interface RoleDefinition {
  /** Roles whose permissions this role also grants, transitively. Default: none. */
  readonly inherits?: readonly string[]
  /** Permissions this role grants, e.g. `'notes:read'`. Default: none. */
  readonly permissions?: readonly string[]
}

/**
 * Resolves every role to the full set of permissions it grants, following `inherits`
 * transitively. An unknown parent or a cycle throws a `SecConfigError` naming the role.
 */
export function resolveRoles(
  where: string,
  roles: Readonly<Record<string, RoleDefinition>>,
): ReadonlyMap<string, ReadonlySet<string>> {
  const resolved = new Map<string, ReadonlySet<string>>()
  const visiting: string[] = []

  function resolve(name: string): ReadonlySet<string> {
    const done = resolved.get(name)
    if (done !== undefined) return done
    const role = roles[name] as RoleDefinition
    if (visiting.includes(name)) {
      const cycle = [...visiting.slice(visiting.indexOf(name)), name].join(' → ')
      configError(
        `${where}.roles.${visiting[visiting.length - 1]}.inherits`,
        `forms a cycle (${cycle}). A role cannot inherit from itself, directly or through others: remove one of these links.`,
      )
    }
    visiting.push(name)
    const permissions = new Set(role.permissions ?? [])
    role.inherits?.forEach((parent, i) => {
      if (!Object.hasOwn(roles, parent))
        configError(
          `${where}.roles.${name}.inherits[${i}]`,
          `names the unknown role ${JSON.stringify(parent)}. Define it under roles, or fix the name.`,
        )
      for (const permission of resolve(parent)) permissions.add(permission)
    })
    visiting.pop()
    resolved.set(name, permissions)
    return permissions
  }

  for (const name of Object.keys(roles)) resolve(name)
  return resolved
}
