import type { SlidingLogState } from '../algorithms/sliding-log.js'

/** Sentinel slots heading the two circular lists; real entries start at {@link firstSlot}. */
const probation = 0
const protectedSegment = 1
const firstSlot = 2
const noSlot = -1
const protectedBit = 0x80
const kindMask = 0x7f
/** Slots allocated up front; the arrays double from there up to `maxKeys`. */
const initialSlots = 1024

/**
 * A bounded table of per-key state in flat typed arrays, so a key costs one `Map` entry and a few
 * array cells rather than an object, and a decision allocates nothing.
 *
 * Eviction is a segmented LRU with a lossless first choice. A new key enters the probation
 * segment; a key seen again moves to the protected segment (at most 80% of `maxKeys`, so a full
 * table always has a probation key; the least recently seen protected key falls back to probation
 * when it overflows). When the table is full, the victim is the least recently seen probation key,
 * unless its state is still live and the least recently seen protected key's state is fully
 * replenished: then that one goes, which loses nothing. A flood of keys seen once therefore only
 * evicts other keys seen once, and never the counters of clients seen twice that stay among the
 * protected share.
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

  readonly #index = new Map<string, number>()
  readonly #keys: (string | undefined)[] = []
  readonly #protectedCap: number
  readonly #replenishedAt: (slot: number) => number
  #protectedSize = 0
  /** List links, a slot's two side by side (next at `2 * slot`, previous at `2 * slot + 1`). */
  #links: Int32Array
  #tags: Uint8Array
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
    this.values = new Float64Array(this.stride * this.#capacity)
    this.#links[2 * probation] = probation
    this.#links[2 * probation + 1] = probation
    this.#links[2 * protectedSegment] = protectedSegment
    this.#links[2 * protectedSegment + 1] = protectedSegment
  }

  /** Keys held. */
  get size(): number {
    return this.#index.size
  }

  /** The slot of `key`, or `undefined`. */
  find(key: string): number | undefined {
    return this.#index.get(key)
  }

  /** The kind of state the slot holds (set by {@link setKind}; 0 for none yet). */
  kind(slot: number): number {
    return (this.#tags[slot] as number) & kindMask
  }

  /** Records which kind of state the slot holds, so another algorithm's state is never misread. */
  setKind(slot: number, kind: number): void {
    this.#tags[slot] = ((this.#tags[slot] as number) & protectedBit) | kind
  }

  /** Marks the slot as seen again: it moves to the head of the protected segment. */
  touch(slot: number): void {
    if (((this.#tags[slot] as number) & protectedBit) !== 0) {
      if (this.#links[2 * protectedSegment] !== slot) {
        this.#unlink(slot)
        this.#linkFirst(slot, protectedSegment)
      }
      return
    }
    this.#unlink(slot)
    this.#tags[slot] = (this.#tags[slot] as number) | protectedBit
    this.#linkFirst(slot, protectedSegment)
    if (++this.#protectedSize > this.#protectedCap) {
      const oldest = this.#links[2 * protectedSegment + 1] as number
      this.#unlink(oldest)
      this.#tags[oldest] = (this.#tags[oldest] as number) & kindMask
      this.#linkFirst(oldest, probation)
      this.#protectedSize--
    }
  }

  /**
   * Adds `key` (absent) in probation and returns its slot, evicting one key first when the table is
   * full. The columns may be reallocated: read them again after this call.
   */
  add(key: string, now: number): number {
    if (this.#index.size >= this.maxKeys) this.#evict(now)
    let slot = this.#free
    if (slot !== noSlot) {
      this.#free = this.#links[2 * slot] as number
    } else {
      slot = this.#end++
      if (slot >= this.#capacity) this.#grow()
    }
    this.#keys[slot] = key
    this.#tags[slot] = 0
    this.#linkFirst(slot, probation)
    this.#index.set(key, slot)
    return slot
  }

  /** Forgets `key`. */
  delete(key: string): void {
    const slot = this.#index.get(key)
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

  // The protected segment never holds all of maxKeys, so a full table always has a probation key.
  #evict(now: number): void {
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
    this.#index.delete(this.#keys[slot] as string)
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
    this.values = grown(this.values, new Float64Array(this.stride * capacity))
    this.#capacity = capacity
  }
}

function grown<T extends Int32Array | Uint8Array | Float64Array>(from: T, to: T): T {
  to.set(from)
  return to
}
