import type { Principal } from '../pipeline/index.js'
import { definePolicy, ownsResource } from './index.js'

/** A note of the Notes demo, as the tests store it. */
export interface Note {
  readonly id: string
  readonly ownerId: string
}

/** The Notes demo's rules: users read, write and delete their own notes; admins delete any. */
export function notesPolicy() {
  return definePolicy<Note>({
    roles: {
      user: { permissions: ['notes:read', 'notes:write'] },
      admin: { inherits: ['user'], permissions: ['notes:delete:any'] },
    },
    rules: [
      { actions: ['notes:list', 'notes:create'], permission: 'notes:write', name: 'write-own' },
      { actions: ['notes:read'], permission: 'notes:read', when: ownsResource(), name: 'read-own' },
      { actions: ['notes:delete'], permission: 'notes:write', when: ownsResource(), name: 'delete-own' },
      { actions: ['notes:delete'], permission: 'notes:delete:any', name: 'delete-any' },
    ],
  })
}

export const alice: Principal = { id: 'alice', kind: 'user', roles: ['user'] }
export const bob: Principal = { id: 'bob', kind: 'user', roles: ['user'] }
export const admin: Principal = { id: 'admin', kind: 'user', roles: ['admin'] }
export const aliceNote: Note = { id: 'n_alice', ownerId: 'alice' }
