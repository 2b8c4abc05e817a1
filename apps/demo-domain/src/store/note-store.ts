import { type Clock, cryptoRandom, type RandomSource, systemClock } from '@sec/core'
import type { NoteInput } from '../schemas/index.js'

/** A stored note. Frozen: handlers cannot change the store by mutating what it returns. */
export interface Note {
  /** `n_` followed by 22 base64url characters: 128 random bits, never sequential. */
  readonly id: string
  readonly title: string
  readonly body: string
  readonly tags: readonly string[]
  /** When the note was created, as an ISO 8601 UTC timestamp. */
  readonly createdAt: string
}

/** Options of {@link createNoteStore}. */
export interface NoteStoreOptions {
  /**
   * The most notes kept. Creating one more evicts the oldest, so memory stays bounded whatever
   * callers send (at most about 10,000 × 11 KB ≈ 110 MB with the schema's limits). Default: `10000`.
   */
  readonly maxNotes?: number
  /** The most notes {@link NoteStore.list} returns, newest first. Default: `100`. */
  readonly listLimit?: number
  /** The most notes {@link NoteStore.search} returns, newest first. Default: `20`. */
  readonly searchLimit?: number
  /** The clock that stamps `createdAt`. Default: `Date.now`. */
  readonly clock?: Clock
  /** The random source of note ids. Default: `crypto.getRandomValues`. */
  readonly random?: RandomSource
}

/** An in-memory, bounded store of notes. */
export interface NoteStore {
  /** Stores a new note with a fresh random id and returns it. */
  create(input: NoteInput): Note
  /** The note with this id, or `undefined`. */
  get(id: string): Note | undefined
  /** The newest notes first, at most `listLimit` of them. */
  list(): readonly Note[]
  /**
   * The notes whose title contains `text`, ignoring case, newest first, at most `searchLimit` of
   * them. Case is folded with `toLowerCase()` (Unicode's default mapping, the same in every locale).
   */
  search(text: string): readonly Note[]
  /** How many notes are stored. */
  readonly size: number
}

const idBytes = 16

function base64url(bytes: Uint8Array): string {
  let binary = ''
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '')
}

function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`createNoteStore: ${name} must be a positive integer, got ${String(value)}.`)
  }
  return value
}

/**
 * Creates an in-memory note store. Ids are `n_` + base64url of 16 random bytes, so they cannot be
 * guessed or enumerated; the store is bounded to `maxNotes`, evicting the oldest note first.
 */
export function createNoteStore(options: NoteStoreOptions = {}): NoteStore {
  const maxNotes = positiveInteger('maxNotes', options.maxNotes, 10_000)
  const listLimit = positiveInteger('listLimit', options.listLimit, 100)
  const searchLimit = positiveInteger('searchLimit', options.searchLimit, 20)
  const clock = options.clock ?? systemClock
  const random = options.random ?? cryptoRandom
  const byId = new Map<string, Note>()
  const order: string[] = []
  // Titles folded once when a note is stored, so a search folds only its own text.
  const foldedTitles = new Map<string, string>()

  function newId(): string {
    const id = `n_${base64url(random(new Uint8Array(idBytes)))}`
    // 128 random bits do not collide with a real source; a broken injected one must not overwrite a note.
    if (byId.has(id)) throw new Error('createNoteStore: the random source repeated a note id.')
    return id
  }

  return {
    create(input) {
      const note: Note = Object.freeze({
        id: newId(),
        title: input.title,
        body: input.body,
        tags: Object.freeze([...(input.tags ?? [])]),
        createdAt: new Date(clock.now()).toISOString(),
      })
      if (order.length >= maxNotes) {
        const evicted = order.shift() as string
        byId.delete(evicted)
        foldedTitles.delete(evicted)
      }
      byId.set(note.id, note)
      foldedTitles.set(note.id, note.title.toLowerCase())
      order.push(note.id)
      return note
    },
    get(id) {
      return byId.get(id)
    },
    list() {
      const notes: Note[] = []
      for (let i = order.length - 1; i >= 0 && notes.length < listLimit; i--) {
        notes.push(byId.get(order[i] as string) as Note)
      }
      return notes
    },
    search(text) {
      const folded = text.toLowerCase()
      const notes: Note[] = []
      for (let i = order.length - 1; i >= 0 && notes.length < searchLimit; i--) {
        const id = order[i] as string
        if ((foldedTitles.get(id) as string).includes(folded)) notes.push(byId.get(id) as Note)
      }
      return notes
    },
    get size() {
      return byId.size
    },
  }
}
