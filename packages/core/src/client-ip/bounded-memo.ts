/**
 * Remembers what a pure function of a string gave, so that the texts every request repeats (the
 * proxy's socket address, the forwarded client address, `Host`) are parsed once rather than per
 * request. The texts come from clients, so memory is fixed: a table of `slots` entries, each key
 * hashed to one slot whose previous entry it replaces, and keys longer than `maxKeyLength` never
 * stored. A fixed table rather than a `Map` also keeps a stream of distinct texts (many clients, or
 * an attacker) from costing more than computing each one: no entry to allocate, nothing to rehash.
 * Values are shared by every caller of `get`, so they must be primitives or frozen.
 */
export class BoundedMemo<V> {
  readonly #compute: (key: string) => V
  readonly #maxKeyLength: number
  readonly #mask: number
  readonly #keys: (string | undefined)[]
  readonly #values: (V | undefined)[]

  /** `slots` is rounded up to a power of two. */
  constructor(compute: (key: string) => V, maxKeyLength: number, slots: number) {
    const size = 2 ** Math.ceil(Math.log2(Math.max(1, slots)))
    this.#compute = compute
    this.#maxKeyLength = maxKeyLength
    this.#mask = size - 1
    this.#keys = new Array<string | undefined>(size).fill(undefined)
    this.#values = new Array<V | undefined>(size).fill(undefined)
  }

  /** What `compute(key)` returns, from the table when `key` is still in its slot. */
  get(key: string): V {
    const length = key.length
    if (length > this.#maxKeyLength) return this.#compute(key)
    // FNV-1a over the length and a few characters only: the end of an address or a host is where
    // two of them usually differ, and hashing every character costs more than the parse it saves.
    // A collision only costs a recomputation (charCodeAt past either end mixes in 0).
    let hash = Math.imul(0x811c9dc5 ^ length, 0x01000193)
    hash = Math.imul(hash ^ key.charCodeAt(length >> 1), 0x01000193)
    hash = Math.imul(hash ^ key.charCodeAt(length - 1), 0x01000193)
    hash = Math.imul(hash ^ key.charCodeAt(length - 2), 0x01000193)
    hash = Math.imul(hash ^ key.charCodeAt(length - 3), 0x01000193)
    const slot = (hash ^ (hash >>> 16)) & this.#mask
    if (this.#keys[slot] === key) return this.#values[slot] as V
    const value = this.#compute(key)
    this.#keys[slot] = key
    this.#values[slot] = value
    return value
  }
}
