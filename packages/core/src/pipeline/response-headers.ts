/**
 * A fixed list of headers a guard sets together on every response (the security headers),
 * prepared once. Put on an empty {@link ResponseHeaders} with {@link setHeaderBlock}, it is
 * shared by reference rather than copied header by header; the first change to one of its names
 * turns it into ordinary entries.
 */
export class HeaderBlock {
  /** Lower-case names, each once. */
  readonly names: readonly string[]
  readonly values: readonly string[]
  readonly #index: ReadonlyMap<string, number>

  /** `entries` with lower-case names; a later entry replaces an earlier one of the same name. */
  constructor(entries: readonly (readonly [string, string])[]) {
    const index = new Map<string, number>()
    const names: string[] = []
    const values: string[] = []
    for (const [name, value] of entries) {
      const lower = name.toLowerCase()
      if (lower === 'set-cookie') throw new TypeError('A header block cannot hold Set-Cookie.')
      const at = index.get(lower)
      if (at !== undefined) values[at] = value
      else {
        index.set(lower, names.length)
        names.push(lower)
        values.push(value)
      }
    }
    this.names = names
    this.values = values
    this.#index = index
  }

  /** The value of a lower-case name, or `undefined`. */
  valueOf(lower: string): string | undefined {
    const at = this.#index.get(lower)
    return at === undefined ? undefined : this.values[at]
  }

  /** Whether the block holds a lower-case name. */
  holds(lower: string): boolean {
    return this.#index.has(lower)
  }
}

function* blockEntries(block: HeaderBlock): IterableIterator<[string, string]> {
  for (let i = 0; i < block.names.length; i++) yield [block.names[i] as string, block.values[i] as string]
}

let assignBlock: (headers: ResponseHeaders, block: HeaderBlock) => void

/**
 * Sets every header of `block` on `headers`: by reference when `headers` is still empty (the
 * security headers guard runs first), otherwise one by one (also on a Web `Headers` that a test's
 * own guard context passes instead).
 */
export function setHeaderBlock(headers: ResponseHeaders, block: HeaderBlock): void {
  assignBlock(headers, block)
}

/**
 * The headers the guards put on a response: the part of the Web `Headers` API that guards and
 * adapters use, without its per-call conversion and validation. Names are compared
 * case-insensitively and kept lower-case; each `Set-Cookie` stays its own entry, as in `Headers`.
 *
 * Values are stored as given. The built-in guards check theirs when they are configured; a value
 * your own guard sets is checked by the framework (or by `new Headers()` in the Next.js adapter)
 * when the adapter writes the response, so an invalid one fails there instead of in the guard.
 * Iteration follows insertion order (set-cookie entries last), not the sorted order of `Headers`.
 */
export class ResponseHeaders implements Iterable<[string, string]> {
  #values: Map<string, string>
  // Headers set as one prepared block, in iteration order after the first `#blockAt` entries of
  // `#values` (those set before it); entries added later come after it.
  #block: HeaderBlock | undefined
  #blockAt = 0
  #cookies: string[] | undefined
  #revision = 0

  static {
    assignBlock = (headers, block) => {
      if (#block in headers && headers.#block === undefined && !headers.#sharesName(block)) {
        headers.#revision++
        headers.#block = block
        headers.#blockAt = headers.#values.size
        return
      }
      for (let i = 0; i < block.names.length; i++)
        headers.set(block.names[i] as string, block.values[i] as string)
    }
  }

  /** An empty set of headers, or a copy of `from`. */
  constructor(from?: ResponseHeaders) {
    if (from === undefined) {
      this.#values = new Map()
      return
    }
    this.#block = from.#block
    this.#blockAt = from.#blockAt
    this.#values = new Map(from.#values)
    this.#cookies = from.#cookies?.slice()
  }

  // Whether an entry already set has a name of the block (then the block is set name by name).
  #sharesName(block: HeaderBlock): boolean {
    if (this.#values.size === 0) return false
    for (const name of block.names) if (this.#values.has(name)) return true
    return false
  }

  // Before a change the block's position cannot follow (a name of the block, or any deletion):
  // the block becomes ordinary entries, in its place in the order.
  #dissolve(): void {
    const block = this.#block
    if (block === undefined) return
    const values = new Map<string, string>()
    let at = 0
    const placeBlock = () => {
      for (let i = 0; i < block.names.length; i++)
        values.set(block.names[i] as string, block.values[i] as string)
    }
    if (this.#blockAt === 0) placeBlock()
    this.#values.forEach((value, name) => {
      values.set(name, value)
      if (++at === this.#blockAt) placeBlock()
    })
    this.#values = values
    this.#block = undefined
    this.#blockAt = 0
  }

  /** The value of `name`, repeated `Set-Cookie` values joined with `", "`; `null` when absent. */
  get(name: string): string | null {
    const lower = name.toLowerCase()
    if (lower === 'set-cookie') return this.#cookies === undefined ? null : this.#cookies.join(', ')
    return this.#values.get(lower) ?? this.#block?.valueOf(lower) ?? null
  }

  /** Each `Set-Cookie` value, in the order they were added. */
  getSetCookie(): string[] {
    return this.#cookies === undefined ? [] : this.#cookies.slice()
  }

  /** Whether `name` is set. */
  has(name: string): boolean {
    const lower = name.toLowerCase()
    if (lower === 'set-cookie') return this.#cookies !== undefined
    return this.#values.has(lower) || this.#block?.holds(lower) === true
  }

  /**
   * A number that changes whenever a header is set, appended or deleted. An adapter that applies
   * the same outcome twice (after app guards, then after route guards) compares it to skip a second
   * pass when the route guards changed nothing.
   */
  get revision(): number {
    return this.#revision
  }

  /** Sets `name` to `value`, replacing any value it had. */
  set(name: string, value: string): void {
    this.#revision++
    const lower = name.toLowerCase()
    if (lower === 'set-cookie') this.#cookies = [value]
    else {
      if (this.#block?.holds(lower)) this.#dissolve()
      this.#values.set(lower, value)
    }
  }

  /** Adds `value` to `name`: a new `Set-Cookie` line, or `", value"` after the value already there. */
  append(name: string, value: string): void {
    this.#revision++
    const lower = name.toLowerCase()
    if (lower === 'set-cookie') {
      if (this.#cookies === undefined) this.#cookies = [value]
      else this.#cookies.push(value)
      return
    }
    if (this.#block?.holds(lower)) this.#dissolve()
    const current = this.#values.get(lower)
    this.#values.set(lower, current === undefined ? value : `${current}, ${value}`)
  }

  /** Removes `name`. */
  delete(name: string): void {
    this.#revision++
    const lower = name.toLowerCase()
    if (lower === 'set-cookie') this.#cookies = undefined
    else {
      this.#dissolve()
      this.#values.delete(lower)
    }
  }

  /** Calls `callback` with each value and lower-case name, as `Headers.forEach` does. */
  forEach(callback: (value: string, name: string, headers: ResponseHeaders) => void): void {
    const block = this.#block
    const blockAt = block === undefined ? -1 : this.#blockAt
    if (blockAt === 0) this.#eachOfBlock(block as HeaderBlock, callback)
    let at = 0
    // Map.forEach, not for…of: no entry array per header on a path every response takes.
    this.#values.forEach((value, name) => {
      callback(value, name, this)
      if (++at === blockAt) this.#eachOfBlock(block as HeaderBlock, callback)
    })
    if (this.#cookies !== undefined) for (const cookie of this.#cookies) callback(cookie, 'set-cookie', this)
  }

  #eachOfBlock(
    block: HeaderBlock,
    callback: (value: string, name: string, headers: ResponseHeaders) => void,
  ) {
    const { names, values } = block
    for (let i = 0; i < names.length; i++) callback(values[i] as string, names[i] as string, this)
  }

  /** The lower-case names and values; each `Set-Cookie` is its own entry. */
  *entries(): IterableIterator<[string, string]> {
    const block = this.#block
    const blockAt = block === undefined ? -1 : this.#blockAt
    if (blockAt === 0) yield* blockEntries(block as HeaderBlock)
    let at = 0
    for (const entry of this.#values) {
      yield entry
      if (++at === blockAt) yield* blockEntries(block as HeaderBlock)
    }
    if (this.#cookies !== undefined) for (const cookie of this.#cookies) yield ['set-cookie', cookie]
  }

  /** The lower-case names, `set-cookie` once per cookie. */
  *keys(): IterableIterator<string> {
    for (const [name] of this.entries()) yield name
  }

  /** The values, each cookie on its own. */
  *values(): IterableIterator<string> {
    for (const [, value] of this.entries()) yield value
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries()
  }
}
