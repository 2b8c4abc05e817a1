export { createNotesPolicy, type NoteAction, type NotesPolicy } from './notes-policy.js'
