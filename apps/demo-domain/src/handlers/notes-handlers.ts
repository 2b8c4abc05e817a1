import type { Outcome } from '@sec/core'
import type { NoteInput, NoteParams, SearchQuery } from '../schemas/index.js'
import type { NotesService } from '../service/index.js'
import type { Note } from '../store/index.js'

/** The body of `GET /health`. */
export interface HealthBody {
  readonly status: 'ok'
}

/** The body of `GET /v1/notes` and `GET /v1/search`. */
export interface NoteList {
  /** The caller's newest notes first, at most the store's `listLimit` (or `searchLimit` for a search). */
  readonly notes: readonly Note[]
}

/**
 * The framework-neutral handlers of the Notes API. Each demo maps its routes onto these. They run
 * after the route's guards (authentication, scopes, the policy, validation) and call the notes
 * service, which checks the policy again.
 */
export interface NotesHandlers {
  /** `GET /health`. */
  health(): HealthBody
  /** `GET /v1/notes`: the caller's notes. */
  listNotes(outcome: Outcome): NoteList
  /** `POST /v1/notes`, answered with 201: stores the validated body as a note of the caller. */
  createNote(outcome: Outcome): Note
  /**
   * `GET /v1/notes/:id`: the note whose id the route's guards validated (`outcome.input.params`),
   * or a thrown `NoteNotFoundError` (404).
   */
  getNote(outcome: Outcome): Note
  /** `DELETE /v1/notes/:id`, answered with 204. */
  deleteNote(outcome: Outcome): void
  /**
   * `GET /v1/search?q=`: the caller's notes whose title contains the validated `q`, ignoring case,
   * newest first, at most the store's `searchLimit`.
   */
  searchNotes(outcome: Outcome): NoteList
}

/** The Notes handlers over the notes service. */
export function createNotesHandlers(notes: NotesService): NotesHandlers {
  // The route guards validated the body against NoteInputSchema, the params against
  // NoteParamsSchema and the query against SearchQuerySchema before these run.
  const noteId = (outcome: Outcome) => (outcome.input.params as NoteParams).id
  return {
    health: () => ({ status: 'ok' }),
    listNotes: (outcome) => ({ notes: notes.list(outcome.principal) }),
    createNote: (outcome) => notes.create(outcome.principal, outcome.body as NoteInput),
    getNote: (outcome) => notes.get(outcome.principal, noteId(outcome)),
    deleteNote: (outcome) => notes.delete(outcome.principal, noteId(outcome)),
    searchNotes: (outcome) => ({
      notes: notes.search(outcome.principal, (outcome.input.query as SearchQuery).q),
    }),
  }
}
