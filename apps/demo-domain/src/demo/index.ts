export { createNotesDemo, type DemoHandlers, type NotesDemo, type NotesDemoOptions } from './notes-demo.js'
