import type { Principal } from '@sec/core'
import type { NotesPolicy } from '../authz/index.js'
import type { NoteInput } from '../schemas/index.js'
import type { Note, NoteStore } from '../store/index.js'
import { NoteNotFoundError } from './note-not-found.js'

/**
 * The Notes service: every operation asks the Notes policy before it touches the store, whoever
 * calls it. The routes already asked the same policy with their `authorize` guards; this second
 * check is defense in depth: a route wired without its guard, a new caller (a job, a CLI), or a
 * guard that checked a note since replaced still cannot read or delete what the policy refuses.
 */
export interface NotesService {
  /** The caller's own notes, newest first. */
  list(principal: Principal | undefined): readonly Note[]
  /** Stores a note owned by the caller. */
  create(principal: Principal | undefined, input: NoteInput): Note
  /** A note the caller may read; a {@link NoteNotFoundError} otherwise, missing or not. */
  get(principal: Principal | undefined, id: string): Note
  /**
   * Deletes a note the caller may delete. A note the caller may neither delete nor read is
   * {@link NoteNotFoundError}; one it may read but not delete is the policy's `SecAuthzError` (403).
   */
  delete(principal: Principal | undefined, id: string): void
  /** The caller's own notes whose title contains `text`, ignoring case, newest first. */
  search(principal: Principal | undefined, text: string): readonly Note[]
}

/** The Notes service over a store, checked against a policy. */
export function createNotesService(store: NoteStore, policy: NotesPolicy): NotesService {
  // After assert, the principal exists: the policy denies a missing one.
  const caller = (principal: Principal | undefined) => (principal as Principal).id

  return {
    list(principal) {
      policy.assert(principal, 'notes:list')
      return store.list(caller(principal))
    },
    create(principal, input) {
      policy.assert(principal, 'notes:create')
      return store.create(input, caller(principal))
    },
    get(principal, id) {
      const note = store.get(id)
      if (note === undefined || !policy.authorize(principal, 'notes:read', note).allowed)
        throw new NoteNotFoundError()
      return note
    },
    delete(principal, id) {
      const note = store.get(id)
      if (
        note === undefined ||
        (!policy.authorize(principal, 'notes:delete', note).allowed &&
          !policy.authorize(principal, 'notes:read', note).allowed)
      )
        throw new NoteNotFoundError()
      policy.assert(principal, 'notes:delete', note)
      store.delete(id)
    },
    search(principal, text) {
      policy.assert(principal, 'notes:list')
      return store.search(caller(principal), text)
    },
  }
}
