import { type Clock, cryptoRandom, type RandomSource, systemClock } from '@sec/core'
import type { NoteInput } from '../schemas/index.js'

/** A stored note. Frozen: handlers cannot change the store by mutating what it returns. */
export interface Note {
  /** `n_` followed by 22 base64url characters: 128 random bits, never sequential. */
  readonly id: string
  /** The id of the user who created it (a token's `sub`, or the owner of the API key used). */
  readonly ownerId: string
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
  /**
   * The most notes one owner keeps. Creating one more evicts that owner's oldest, so that one user
   * cannot push everybody else's notes out of the store. Default: `1000`.
   */
  readonly maxNotesPerOwner?: number
  /** The most notes {@link NoteStore.list} returns, newest first. Default: `100`. */
  readonly listLimit?: number
  /** The most notes {@link NoteStore.search} returns, newest first. Default: `20`. */
  readonly searchLimit?: number
  /** The clock that stamps `createdAt`. Default: `Date.now`. */
  readonly clock?: Clock
  /** The random source of note ids. Default: `crypto.getRandomValues`. */
  readonly random?: RandomSource
}

/**
 * An in-memory, bounded store of notes. It knows owners but decides nothing about who may see
 * what: the notes service asks the policy first.
 */
export interface NoteStore {
  /** Stores a new note of `ownerId` with a fresh random id and returns it. */
  create(input: NoteInput, ownerId: string): Note
  /** The note with this id, whoever owns it, or `undefined`. */
  get(id: string): Note | undefined
  /** Removes a note; answers whether there was one. */
  delete(id: string): boolean
  /** The notes of `ownerId`, newest first, at most `listLimit` of them. */
  list(ownerId: string): readonly Note[]
  /**
   * The notes of `ownerId` whose title contains `text`, ignoring case, newest first, at most
   * `searchLimit` of them. Case is folded with `toLowerCase()` (Unicode's default mapping, the same
   * in every locale).
   */
  search(ownerId: string, text: string): readonly Note[]
  /** How many notes are stored, of every owner. */
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

function remove(ids: string[], id: string): void {
  const at = ids.indexOf(id)
  if (at !== -1) ids.splice(at, 1)
}

/**
 * Creates an in-memory note store. Ids are `n_` + base64url of 16 random bytes, so they cannot be
 * guessed or enumerated; the store is bounded to `maxNotes` in all and `maxNotesPerOwner` each,
 * evicting the oldest note first.
 */
export function createNoteStore(options: NoteStoreOptions = {}): NoteStore {
  const maxNotes = positiveInteger('maxNotes', options.maxNotes, 10_000)
  const maxNotesPerOwner = positiveInteger('maxNotesPerOwner', options.maxNotesPerOwner, 1000)
  const listLimit = positiveInteger('listLimit', options.listLimit, 100)
  const searchLimit = positiveInteger('searchLimit', options.searchLimit, 20)
  const clock = options.clock ?? systemClock
  const random = options.random ?? cryptoRandom
  const byId = new Map<string, Note>()
  // Ids oldest first: of every note, and of each owner's.
  const order: string[] = []
  const byOwner = new Map<string, string[]>()
  // Titles folded once when a note is stored, so a search folds only its own text.
  const foldedTitles = new Map<string, string>()

  function newId(): string {
    const id = `n_${base64url(random(new Uint8Array(idBytes)))}`
    // 128 random bits do not collide with a real source; a broken injected one must not overwrite a note.
    if (byId.has(id)) throw new Error('createNoteStore: the random source repeated a note id.')
    return id
  }

  function evict(id: string): boolean {
    const note = byId.get(id)
    if (note === undefined) return false
    byId.delete(id)
    foldedTitles.delete(id)
    remove(order, id)
    const owned = byOwner.get(note.ownerId) as string[]
    remove(owned, id)
    if (owned.length === 0) byOwner.delete(note.ownerId)
    return true
  }

  function newest(ownerId: string, limit: number, keep: (id: string) => boolean): Note[] {
    const ids = byOwner.get(ownerId) ?? []
    const notes: Note[] = []
    for (let i = ids.length - 1; i >= 0 && notes.length < limit; i--) {
      const id = ids[i] as string
      if (keep(id)) notes.push(byId.get(id) as Note)
    }
    return notes
  }

  return {
    create(input, ownerId) {
      const note: Note = Object.freeze({
        id: newId(),
        ownerId,
        title: input.title,
        body: input.body,
        tags: Object.freeze([...(input.tags ?? [])]),
        createdAt: new Date(clock.now()).toISOString(),
      })
      const owned = byOwner.get(ownerId)
      if (owned !== undefined && owned.length >= maxNotesPerOwner) evict(owned[0] as string)
      if (order.length >= maxNotes) evict(order[0] as string)
      byId.set(note.id, note)
      foldedTitles.set(note.id, note.title.toLowerCase())
      order.push(note.id)
      if (owned === undefined || !byOwner.has(ownerId)) byOwner.set(ownerId, [note.id])
      else owned.push(note.id)
      return note
    },
    get(id) {
      return byId.get(id)
    },
    delete: evict,
    list(ownerId) {
      return newest(ownerId, listLimit, () => true)
    },
    search(ownerId, text) {
      const folded = text.toLowerCase()
      return newest(ownerId, searchLimit, (id) => (foldedTitles.get(id) as string).includes(folded))
    },
    get size() {
      return byId.size
    },
  }
}
