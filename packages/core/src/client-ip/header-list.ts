/**
 * Finds where the element ending at `end` (exclusive) of one field line starts: the index of the
 * separator before it, or -1 when the element runs to the start of the line.
 */
export type ListSeparator = (text: string, end: number) => number

/** The plain list rule: any comma separates. */
const lastComma: ListSeparator = (text, end) => (end === 0 ? -1 : text.lastIndexOf(',', end - 1))

/**
 * Reads the elements of a comma-separated header from the right, across all its field lines, so
 * that the entries the nearest proxies appended are read first and the rest, which the client may
 * have written, only when the walk gets that far. Empty elements are skipped, as RFC 9110 §5.6.1
 * asks of list recipients. `separator` decides which commas split (default: every comma).
 */
export class ListFromRight {
  readonly #lines: readonly string[]
  readonly #separator: ListSeparator
  #line: number
  #end = -1

  constructor(lines: readonly string[], separator: ListSeparator = lastComma) {
    this.#lines = lines
    this.#separator = separator
    this.#line = lines.length
  }

  /** The next element to the left, trimmed; `undefined` once none is left. */
  next(): string | undefined {
    for (;;) {
      if (this.#end < 0) {
        this.#line--
        if (this.#line < 0) return undefined
        this.#end = (this.#lines[this.#line] as string).length
      }
      const text = this.#lines[this.#line] as string
      const start = this.#separator(text, this.#end)
      const element = text.slice(start + 1, this.#end).trim()
      this.#end = start
      if (element !== '') return element
    }
  }
}

/**
 * The rightmost element of a list header, the one the nearest proxy set; `undefined` when the
 * header is absent or only has empty elements.
 */
export function lastListElement(lines: readonly string[]): string | undefined {
  return lines.length === 0 ? undefined : new ListFromRight(lines).next()
}
