import type { Clock, RandomSource } from '@sec/core'
import { createNotesHandlers, type NotesHandlers } from '../handlers/index.js'
import { createDemoSecurity, type DemoSecurity } from '../security/index.js'
import { createNoteStore, type NoteStore } from '../store/index.js'

/** Options of {@link createNotesDemo}. Meant for tests; the demos use the defaults. */
export interface NotesDemoOptions {
  /** The clock of the store and the security pipeline. Default: `Date.now`. */
  readonly clock?: Clock
  /** The random source of note ids and request ids. Default: `crypto.getRandomValues`. */
  readonly random?: RandomSource
  /** The most notes kept before the oldest is evicted. Default: `10000`. */
  readonly maxNotes?: number
}

/** Everything a demo server wires together. */
export interface NotesDemo extends DemoSecurity {
  readonly store: NoteStore
  readonly handlers: NotesHandlers
}

/** Builds the Notes demo: a fresh store, its handlers, the security pipeline and the route guards. */
export function createNotesDemo(options: NotesDemoOptions = {}): NotesDemo {
  const shared = {
    ...(options.clock !== undefined && { clock: options.clock }),
    ...(options.random !== undefined && { random: options.random }),
  }
  const store = createNoteStore({
    ...shared,
    ...(options.maxNotes !== undefined && { maxNotes: options.maxNotes }),
  })
  return { ...createDemoSecurity(shared), store, handlers: createNotesHandlers(store) }
}
