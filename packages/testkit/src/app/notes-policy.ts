import { definePolicy, ownsResource, type Principal } from '@sec/core'

/** A note `DELETE /v1/notes/:id` acts on, with its author. */
export interface OwnedNote {
  readonly id: string
  readonly ownerId: string
}

/**
 * The notes the delete route knows: one of alice's, one of bob's. Deleting answers 204 but keeps
 * them, so every case (and every rerun) sees the same notes whatever ran before.
 */
export const ownedNotes: ReadonlyMap<string, OwnedNote> = new Map([
  ['n_alice', { id: 'n_alice', ownerId: 'alice' }],
  ['n_bob', { id: 'n_bob', ownerId: 'bob' }],
])

/** The token's `roles` claim: bearer principals carry their claims, not a `roles` attribute. */
function rolesClaim(principal: Principal): readonly unknown[] | undefined {
  const roles = (principal.claims as { readonly roles?: unknown } | undefined)?.roles
  return Array.isArray(roles) ? roles : undefined
}

/**
 * Who may do what to a note: users read and delete their own, admins delete any. The delete route
 * checks it with `authorize()`, and its handler checks it again, as a service layer would.
 */
export const notesPolicy = definePolicy<OwnedNote>({
  roles: {
    user: { permissions: ['notes:read', 'notes:write'] },
    admin: { inherits: ['user'], permissions: ['notes:delete:any'] },
  },
  rules: [
    { actions: ['notes:read'], permission: 'notes:read', when: ownsResource(), name: 'read-own' },
    { actions: ['notes:delete'], permission: 'notes:write', when: ownsResource(), name: 'delete-own' },
    { actions: ['notes:delete'], permission: 'notes:delete:any', name: 'delete-any' },
  ],
  rolesOf: rolesClaim,
})
