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
  // Headers set as one prepared block while the set was empty: they come first in every iteration.
  #block: HeaderBlock | undefined
  #cookies: string[] | undefined
  #revision = 0

  static {
    assignBlock = (headers, block) => {
      if (
        #block in headers &&
        headers.#block === undefined &&
        headers.#values.size === 0 &&
        headers.#cookies === undefined
      ) {
        headers.#revision++
        headers.#block = block
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
    this.#values = new Map(from.#values)
    this.#cookies = from.#cookies?.slice()
  }

  // Before a change to one of the block's names: the block becomes ordinary entries, first in order.
  #dissolve(lower: string): void {
    const block = this.#block
    if (block === undefined || !block.holds(lower)) return
    const values = new Map<string, string>()
    for (let i = 0; i < block.names.length; i++)
      values.set(block.names[i] as string, block.values[i] as string)
    this.#values.forEach((value, name) => {
      values.set(name, value)
    })
    this.#values = values
    this.#block = undefined
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
      this.#dissolve(lower)
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
    this.#dissolve(lower)
    const current = this.#values.get(lower)
    this.#values.set(lower, current === undefined ? value : `${current}, ${value}`)
  }

  /** Removes `name`. */
  delete(name: string): void {
    this.#revision++
    const lower = name.toLowerCase()
    if (lower === 'set-cookie') this.#cookies = undefined
    else {
      this.#dissolve(lower)
      this.#values.delete(lower)
    }
  }

  /** Calls `callback` with each value and lower-case name, as `Headers.forEach` does. */
  forEach(callback: (value: string, name: string, headers: ResponseHeaders) => void): void {
    const block = this.#block
    if (block !== undefined) {
      const { names, values } = block
      for (let i = 0; i < names.length; i++) callback(values[i] as string, names[i] as string, this)
    }
    // Map.forEach, not for…of: no entry array per header on a path every response takes.
    this.#values.forEach((value, name) => {
      callback(value, name, this)
    })
    if (this.#cookies !== undefined) for (const cookie of this.#cookies) callback(cookie, 'set-cookie', this)
  }

  /** The lower-case names and values; each `Set-Cookie` is its own entry. */
  *entries(): IterableIterator<[string, string]> {
    const block = this.#block
    if (block !== undefined)
      for (let i = 0; i < block.names.length; i++) yield [block.names[i] as string, block.values[i] as string]
    yield* this.#values
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
