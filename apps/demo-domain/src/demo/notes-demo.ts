import type { Clock, EventSink, RandomSource, RateLimitStore } from '@sec/core'
import { createNotesHandlers, type NotesHandlers } from '../handlers/index.js'
import { createDemoSecurity, type DemoSecurity } from '../security/index.js'
import { createNoteStore, type NoteStore } from '../store/index.js'

/** Options of {@link createNotesDemo}. Meant for tests; the demos use the defaults. */
export interface NotesDemoOptions {
  /**
   * The clock of the store, the security pipeline and the rate limiters. Default: `Date.now`, and a
   * monotonic clock for the limiters.
   */
  readonly clock?: Clock
  /** The random source of note ids and request ids. Default: `crypto.getRandomValues`. */
  readonly random?: RandomSource
  /** The most notes kept before the oldest is evicted. Default: `10000`. */
  readonly maxNotes?: number
  /** Where security events go. Default: nowhere. */
  readonly events?: EventSink | readonly EventSink[]
  /**
   * A rate-limit store several demo processes share (see `redisRateLimitStore`). Default: none:
   * each demo counts its limits in its own memory.
   */
  readonly rateLimitStore?: RateLimitStore
}

/** Everything a demo server wires together. */
export interface NotesDemo extends DemoSecurity {
  readonly store: NoteStore
  readonly handlers: NotesHandlers
}

/**
 * Builds the Notes demo: a fresh store, its handlers, the security pipeline and the route guards,
 * with rate limiters of its own (fresh counters, unless `rateLimitStore` is shared).
 */
export function createNotesDemo(options: NotesDemoOptions = {}): NotesDemo {
  const shared = {
    ...(options.clock !== undefined && { clock: options.clock }),
    ...(options.random !== undefined && { random: options.random }),
  }
  const store = createNoteStore({
    ...shared,
    ...(options.maxNotes !== undefined && { maxNotes: options.maxNotes }),
  })
  const security = createDemoSecurity({
    ...shared,
    ...(options.events !== undefined && { events: options.events }),
    ...(options.rateLimitStore !== undefined && { rateLimitStore: options.rateLimitStore }),
  })
  return { ...security, store, handlers: createNotesHandlers(store) }
}
