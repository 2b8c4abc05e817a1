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
  readonly #values: Map<string, string>
  #cookies: string[] | undefined
  #revision = 0

  /** An empty set of headers, or a copy of `from`. */
  constructor(from?: ResponseHeaders) {
    if (from === undefined) {
      this.#values = new Map()
      return
    }
    this.#values = new Map(from.#values)
    this.#cookies = from.#cookies?.slice()
  }

  /** The value of `name`, repeated `Set-Cookie` values joined with `", "`; `null` when absent. */
  get(name: string): string | null {
    const lower = name.toLowerCase()
    if (lower === 'set-cookie') return this.#cookies === undefined ? null : this.#cookies.join(', ')
    return this.#values.get(lower) ?? null
  }

  /** Each `Set-Cookie` value, in the order they were added. */
  getSetCookie(): string[] {
    return this.#cookies === undefined ? [] : this.#cookies.slice()
  }

  /** Whether `name` is set. */
  has(name: string): boolean {
    const lower = name.toLowerCase()
    return lower === 'set-cookie' ? this.#cookies !== undefined : this.#values.has(lower)
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
    else this.#values.set(lower, value)
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
    const current = this.#values.get(lower)
    this.#values.set(lower, current === undefined ? value : `${current}, ${value}`)
  }

  /** Removes `name`. */
  delete(name: string): void {
    this.#revision++
    const lower = name.toLowerCase()
    if (lower === 'set-cookie') this.#cookies = undefined
    else this.#values.delete(lower)
  }

  /** Calls `callback` with each value and lower-case name, as `Headers.forEach` does. */
  forEach(callback: (value: string, name: string, headers: ResponseHeaders) => void): void {
    // Map.forEach, not for…of: no entry array per header on a path every response takes.
    this.#values.forEach((value, name) => {
      callback(value, name, this)
    })
    if (this.#cookies !== undefined) for (const cookie of this.#cookies) callback(cookie, 'set-cookie', this)
  }

  /** The lower-case names and values; each `Set-Cookie` is its own entry. */
  *entries(): IterableIterator<[string, string]> {
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
