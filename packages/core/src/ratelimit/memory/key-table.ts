import type { SlidingLogState } from '../algorithms/sliding-log.js'

/** Sentinel slots heading the two circular lists; real entries start at {@link firstSlot}. */
const probation = 0
const protectedSegment = 1
const firstSlot = 2
const noSlot = -1
const protectedBit = 0x80
/** Set on a protected key seen again since it entered its segment or last had a second chance. */
const seenBit = 0x40
const kindMask = 0x3f
/** Protected keys sent back to probation at most per eviction, so that no call does much. */
const demotionsPerEviction = 2
/** Second chances given at most per demotion, for the same reason. */
const secondChances = 8
/** Slots allocated up front; the arrays double from there up to `maxKeys`. */
const initialSlots = 1024
/** Namespaces a table holds at most: their numbers are kept in 16 bits per slot. */
const maxSpaces = 0x10000

/**
 * A bounded table of per-key state in flat typed arrays, so a key costs one `Map` entry and a few
 * array cells rather than an object, and a decision allocates nothing.
 *
 * Keys live in namespaces, one per limiter name, each with its own index, so a limiter looks up
 * the key it was given rather than a `name:key` string built for every call (a fresh string must be
 * flattened, hashed and compared character by character on every lookup; the caller's own string
 * is often the very one held, and carries its hash). Namespace 0 holds keys given whole. Every
 * namespace shares the slots, the bound and the eviction order.
 *
 * Eviction is a segmented LRU with a lossless first choice. A new key enters the probation
 * segment, in order of arrival; a key seen again moves to the protected segment. The protected
 * segment is kept to 80% of `maxKeys` when a key must be evicted (so a full table always has a
 * probation key): its oldest keys fall back to probation then, except that a key seen again since
 * it entered the segment first gets a second chance, at the segment's head (a CLOCK, which
 * approximates least-recently-seen order). So seeing a protected key again costs one bit, not a
 * move in a list, and keys go back to probation only when room is needed. When the table is full,
 * the victim is the probation key that arrived (or fell back) first, unless its state is still
 * live and the protected key next in line has a fully replenished state: then that one goes, which
 * loses nothing. A flood of keys seen once therefore only evicts other keys seen once, and never
 * the counters of clients seen twice that stay among the protected share.
 */
export class KeyTable {
  /** The most keys held. */
  readonly maxKeys: number
  /**
   * The numbers of each slot's state, `stride` per slot from `slot * stride`, side by side so one
   * decision reads one cache line.
   */
  values: Float64Array
  /** Numbers per slot: 2 until a state needs 3 (see {@link useStride}). */
  stride = 2
  /** Sliding logs per slot, for the keys that use one. */
  readonly logs: (SlidingLogState | undefined)[] = []

  /** The index of each namespace, by its number. */
  readonly #indexes: Map<string, number>[] = [new Map()]
  readonly #spaceNumbers = new Map<string, number>()
  readonly #keys: (string | undefined)[] = []
  #size = 0
  readonly #protectedCap: number
  readonly #replenishedAt: (slot: number) => number
  #protectedSize = 0
  /** List links, a slot's two side by side (next at `2 * slot`, previous at `2 * slot + 1`). */
  #links: Int32Array
  #tags: Uint8Array
  /** The namespace of each slot. */
  #spaces: Uint16Array
  #capacity: number
  #end = firstSlot
  #free = noSlot

  /**
   * @param replenishedAt When a slot's state is fully replenished (ms on the store's clock), so
   * that dropping it loses nothing.
   */
  constructor(maxKeys: number, replenishedAt: (slot: number) => number) {
    this.maxKeys = maxKeys
    this.#replenishedAt = replenishedAt
    this.#protectedCap = Math.floor(maxKeys * 0.8)
    this.#capacity = Math.min(maxKeys, initialSlots) + firstSlot
    this.#links = new Int32Array(2 * this.#capacity)
    this.#tags = new Uint8Array(this.#capacity)
    this.#spaces = new Uint16Array(this.#capacity)
    this.values = new Float64Array(this.stride * this.#capacity)
    this.#links[2 * probation] = probation
    this.#links[2 * probation + 1] = probation
    this.#links[2 * protectedSegment] = protectedSegment
    this.#links[2 * protectedSegment + 1] = protectedSegment
  }

  /** Keys held, in every namespace. */
  get size(): number {
    return this.#size
  }

  /**
   * The number of the namespace `name`, added if new; `undefined` once the table holds 65,535
   * namespaces (keys of further names can still be kept whole in namespace 0).
   */
  space(name: string): number | undefined {
    let space = this.#spaceNumbers.get(name)
    if (space === undefined && this.#indexes.length < maxSpaces) {
      space = this.#indexes.length
      this.#indexes.push(new Map())
      this.#spaceNumbers.set(name, space)
    }
    return space
  }

  /** The number of the namespace `name` if it exists. */
  existingSpace(name: string): number | undefined {
    return this.#spaceNumbers.get(name)
  }

  /** The slot of `key` in namespace `space`, or `undefined`. */
  find(key: string, space = 0): number | undefined {
    return (this.#indexes[space] as Map<string, number>).get(key)
  }

  /** The kind of state the slot holds (set by {@link setKind}; 0 for none yet). */
  kind(slot: number): number {
    return (this.#tags[slot] as number) & kindMask
  }

  /** Records which kind of state the slot holds, so another algorithm's state is never misread. */
  setKind(slot: number, kind: number): void {
    this.#tags[slot] = ((this.#tags[slot] as number) & ~kindMask) | kind
  }

  /** Marks the slot as seen again: a probation key moves to the protected segment. */
  touch(slot: number): void {
    const tag = this.#tags[slot] as number
    if ((tag & protectedBit) === 0) this.#promote(slot)
    else if ((tag & seenBit) === 0) this.#tags[slot] = tag | seenBit
  }

  #promote(slot: number): void {
    this.#unlink(slot)
    this.#tags[slot] = ((this.#tags[slot] as number) & kindMask) | protectedBit
    this.#linkFirst(slot, protectedSegment)
    this.#protectedSize++
  }

  /** Sends the protected key next in line back to probation, after second chances to keys seen again. */
  #demote(): void {
    const tags = this.#tags
    let oldest = this.#links[2 * protectedSegment + 1] as number
    for (let chance = 0; chance < secondChances && ((tags[oldest] as number) & seenBit) !== 0; chance++) {
      tags[oldest] = (tags[oldest] as number) & ~seenBit
      this.#unlink(oldest)
      this.#linkFirst(oldest, protectedSegment)
      oldest = this.#links[2 * protectedSegment + 1] as number
    }
    this.#unlink(oldest)
    tags[oldest] = (tags[oldest] as number) & kindMask
    this.#linkFirst(oldest, probation)
    this.#protectedSize--
  }

  /**
   * Adds `key` (absent from namespace `space`) in probation and returns its slot, evicting one key
   * first when the table is full. The columns may be reallocated: read them again after this call.
   */
  add(key: string, now: number, space = 0): number {
    if (this.#size >= this.maxKeys) this.#evict(now)
    let slot = this.#free
    if (slot !== noSlot) {
      this.#free = this.#links[2 * slot] as number
    } else {
      slot = this.#end++
      if (slot >= this.#capacity) this.#grow()
    }
    this.#keys[slot] = key
    this.#tags[slot] = 0
    this.#spaces[slot] = space
    this.#linkFirst(slot, probation)
    ;(this.#indexes[space] as Map<string, number>).set(key, slot)
    this.#size++
    return slot
  }

  /** Forgets `key` of namespace `space`. */
  delete(key: string, space = 0): void {
    const slot = this.find(key, space)
    if (slot !== undefined) this.#remove(slot)
  }

  /**
   * Makes room for `stride` numbers per slot, spreading the held values out once when it grows;
   * until then a key costs 16 bytes of values rather than 24.
   */
  useStride(stride: number): void {
    if (stride <= this.stride) return
    const values = new Float64Array(stride * this.#capacity)
    const old = this.values
    const oldStride = this.stride
    for (let slot = 0; slot < this.#end; slot++) {
      for (let i = 0; i < oldStride; i++) values[slot * stride + i] = old[slot * oldStride + i] as number
    }
    this.values = values
    this.stride = stride
  }

  // Back within its share, the protected segment never holds all of maxKeys, so a full table always
  // has a probation key. Over its share (keys seen again since the last eviction), it gives back a
  // few keys per eviction: each promotion adds one key, so it is back within its share soon enough.
  #evict(now: number): void {
    for (let i = 0; i < demotionsPerEviction && this.#protectedSize > this.#protectedCap; i++) this.#demote()
    const probationTail = this.#links[2 * probation + 1] as number
    const protectedTail = this.#links[2 * protectedSegment + 1] as number
    const lossless =
      this.#replenishedAt(probationTail) > now &&
      protectedTail !== protectedSegment &&
      this.#replenishedAt(protectedTail) <= now
    this.#remove(lossless ? protectedTail : probationTail)
  }

  #remove(slot: number): void {
    this.#unlink(slot)
    if (((this.#tags[slot] as number) & protectedBit) !== 0) this.#protectedSize--
    this.#tags[slot] = 0
    ;(this.#indexes[this.#spaces[slot] as number] as Map<string, number>).delete(this.#keys[slot] as string)
    this.#size--
    this.#keys[slot] = undefined
    if (this.logs.length > slot) this.logs[slot] = undefined
    this.#links[2 * slot] = this.#free
    this.#free = slot
  }

  #unlink(slot: number): void {
    const next = this.#links[2 * slot] as number
    const prev = this.#links[2 * slot + 1] as number
    this.#links[2 * prev] = next
    this.#links[2 * next + 1] = prev
  }

  #linkFirst(slot: number, head: number): void {
    const first = this.#links[2 * head] as number
    this.#links[2 * slot] = first
    this.#links[2 * slot + 1] = head
    this.#links[2 * first + 1] = slot
    this.#links[2 * head] = slot
  }

  #grow(): void {
    const capacity = Math.min(this.#capacity * 2, this.maxKeys + firstSlot)
    this.#links = grown(this.#links, new Int32Array(2 * capacity))
    this.#tags = grown(this.#tags, new Uint8Array(capacity))
    this.#spaces = grown(this.#spaces, new Uint16Array(capacity))
    this.values = grown(this.values, new Float64Array(this.stride * capacity))
    this.#capacity = capacity
  }
}

function grown<T extends Int32Array | Uint8Array | Uint16Array | Float64Array>(from: T, to: T): T {
  to.set(from)
  return to
}
