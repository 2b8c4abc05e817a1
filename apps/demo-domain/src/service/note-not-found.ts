import { catalogProblem } from '@sec/core'
import { DemoProblemError } from './demo-problem-error.js'

/**
 * Thrown when a note does not exist or the caller may not see it: the same 404 `not-found` problem
 * the route's `authorize` guard answers, so neither tells a missing note from another user's.
 */
export class NoteNotFoundError extends DemoProblemError {
  constructor() {
    super(catalogProblem('not-found'))
    this.message = 'Note not found'
  }
}
