import type { PolicyCondition } from './authorization.js'

function ownerIdOf(resource: unknown): unknown {
  return (resource as { readonly ownerId?: unknown }).ownerId
}

/**
 * A condition that holds when the caller owns the resource: the owner `ownerOf` reads from it
 * equals `principal.id`. It does not hold without a resource (an action on a collection), nor when
 * the resource has no owner (`undefined`, `null` or `''`).
 *
 * @param ownerOf - Reads the owner's id from a resource. Default: `resource.ownerId`.
 * @example
 * { actions: ['notes:read'], permission: 'notes:read', when: ownsResource() }
 * { actions: ['posts:edit'], permission: 'posts:write', when: ownsResource((post: Post) => post.authorId) }
 */
export function ownsResource<TResource = unknown, TEnvironment = unknown>(
  ownerOf: (resource: TResource) => unknown = ownerIdOf,
): PolicyCondition<TResource, TEnvironment> {
  return ({ principal, resource }) => {
    if (resource === undefined || resource === null) return false
    const owner = ownerOf(resource)
    // A missing owner must not match a principal whose id is missing too.
    return owner !== undefined && owner !== null && owner !== '' && owner === principal.id
  }
}
