import type { Outcome } from '@sec/core'
import type { NoteInput, NoteParams, SearchQuery } from '../schemas/index.js'
import type { Note, NoteStore } from '../store/index.js'

/**
 * Thrown when no note has the requested id. Its `status` (and Express-style `statusCode`) is 404,
 * which every adapter's error handling turns into `{"type":"about:blank","title":"Not Found","status":404}`;
 * the message never reaches the caller.
 */
export class NoteNotFoundError extends Error {
  readonly code = 'NOTE_NOT_FOUND'
  readonly status = 404
  readonly statusCode = 404

  constructor() {
    super('Note not found')
    this.name = 'NoteNotFoundError'
  }
}

/** The body of `GET /health`. */
export interface HealthBody {
  readonly status: 'ok'
}

/** The body of `GET /v1/notes` and `GET /v1/search`. */
export interface NoteList {
  /** The newest notes first, at most the store's `listLimit` (or `searchLimit` for a search). */
  readonly notes: readonly Note[]
}

/** The framework-neutral handlers of the Notes API. Each demo maps its routes onto these. */
export interface NotesHandlers {
  /** `GET /health`. */
  health(): HealthBody
  /** `GET /v1/notes`. */
  listNotes(): NoteList
  /** `POST /v1/notes`, answered with 201: stores the body the route's guards validated. */
  createNote(outcome: Outcome): Note
  /**
   * `GET /v1/notes/:id`: the note whose id the route's guards validated (`outcome.input.params`),
   * or a thrown {@link NoteNotFoundError}.
   */
  getNote(outcome: Outcome): Note
  /**
   * `GET /v1/search?q=`: the notes whose title contains the `q` the route's guards validated
   * (`outcome.input.query`), ignoring case, newest first, at most the store's `searchLimit`.
   */
  searchNotes(outcome: Outcome): NoteList
}

/** The Notes handlers over a store. */
export function createNotesHandlers(store: NoteStore): NotesHandlers {
  return {
    health: () => ({ status: 'ok' }),
    listNotes: () => ({ notes: store.list() }),
    // The route guards validated the body against NoteInputSchema, the params against
    // NoteParamsSchema and the query against SearchQuerySchema before these run.
    createNote: (outcome) => store.create(outcome.body as NoteInput),
    getNote(outcome) {
      const note = store.get((outcome.input.params as NoteParams).id)
      if (note === undefined) throw new NoteNotFoundError()
      return note
    },
    searchNotes: (outcome) => ({ notes: store.search((outcome.input.query as SearchQuery).q) }),
  }
}
