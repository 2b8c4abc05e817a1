import { definePolicy, ownsResource, type Policy, type PolicyCondition } from '@sec/core'
import type { UserDirectory } from '../identity/index.js'
import type { NotesScope } from '../schemas/index.js'
import type { Note } from '../store/index.js'

/**
 * What can be done with notes: list (and search) one's own, create, read one, delete one. The
 * actions the route guards and the service layer ask the same policy about.
 */
export type NoteAction = 'notes:list' | 'notes:create' | 'notes:read' | 'notes:delete'

/** The Notes policy. */
export type NotesPolicy = Policy<Note>

function granted(scope: NotesScope): PolicyCondition<Note> {
  return ({ principal }) => Array.isArray(principal.scopes) && principal.scopes.includes(scope)
}

function all(...conditions: readonly PolicyCondition<Note>[]): PolicyCondition<Note> {
  return (request) => conditions.every((condition) => condition(request))
}

/**
 * Who may do what with notes, in one place:
 *
 * - roles (RBAC): `user` holds `notes:read` and `notes:write`; `admin` inherits them and adds
 *   `notes:delete:any`. Roles come from the user directory, by the principal's id (a token's `sub`,
 *   an API key's owner), never from what the caller sends;
 * - ownership (ABAC): reading and deleting a note need `ownerId` to be the caller, except that
 *   `notes:delete:any` deletes anyone's;
 * - scopes: every rule also needs the credential to grant the scope (`notes:read` to list and read,
 *   `notes:write` to create and delete), so a read-only API key of an admin cannot delete;
 * - deny by default: anything not allowed here is refused.
 *
 * The route guards ask it (`authorize(policy, action)`), and the service layer asks it again
 * (`policy.authorize`, `policy.assert`) before touching the store.
 */
export function createNotesPolicy(users: UserDirectory): NotesPolicy {
  const owns = ownsResource<Note>()
  return definePolicy<Note>({
    roles: {
      user: { permissions: ['notes:read', 'notes:write'] },
      admin: { inherits: ['user'], permissions: ['notes:delete:any'] },
    },
    rolesOf: (principal) => {
      const user = users.find(principal.id)
      return user === undefined ? undefined : [user.role]
    },
    rules: [
      { name: 'list-own', actions: ['notes:list'], permission: 'notes:read', when: granted('notes:read') },
      {
        name: 'create-own',
        actions: ['notes:create'],
        permission: 'notes:write',
        when: granted('notes:write'),
      },
      {
        name: 'read-own',
        actions: ['notes:read'],
        permission: 'notes:read',
        when: all(granted('notes:read'), owns),
      },
      {
        name: 'delete-own',
        actions: ['notes:delete'],
        permission: 'notes:write',
        when: all(granted('notes:write'), owns),
      },
      {
        name: 'delete-any',
        actions: ['notes:delete'],
        permission: 'notes:delete:any',
        when: granted('notes:write'),
      },
    ],
  })
}
