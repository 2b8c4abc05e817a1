export { createNotesDemo, type NotesDemo, type NotesDemoOptions } from './notes-demo.js'
