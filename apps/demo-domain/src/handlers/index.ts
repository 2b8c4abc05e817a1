export {
  createNotesHandlers,
  type HealthBody,
  type NoteList,
  NoteNotFoundError,
  type NotesHandlers,
} from './notes-handlers.js'
