export { createNoteStore, type Note, type NoteStore, type NoteStoreOptions } from './note-store.js'
