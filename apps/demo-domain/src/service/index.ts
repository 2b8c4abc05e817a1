export { DemoProblemError } from './demo-problem-error.js'
export { NoteNotFoundError } from './note-not-found.js'
export { createNotesService, type NotesService } from './notes-service.js'
