import type { RequestHeaders } from '@sec/core'

const none: readonly string[] = Object.freeze([])

/** Whether a raw header name equals a lower-case name, ignoring ASCII case, without allocating. */
function sameName(raw: string, lower: string): boolean {
  if (raw.length !== lower.length) return false
  for (let i = 0; i < raw.length; i++) {
    let c = raw.charCodeAt(i)
    if (c >= 0x41 && c <= 0x5a) c |= 0x20
    if (c !== lower.charCodeAt(i)) return false
  }
  return true
}

/**
 * Request headers read straight from Node's `rawHeaders` (name, value, name, value…). Node's own
 * `req.headers` keeps only the first of a duplicated `Host`, `Authorization` or `Content-Type`,
 * which would hide exactly the duplicates a security check must see; the raw list keeps every line.
 */
export class RawHeadersView implements RequestHeaders {
  readonly #raw: readonly string[]

  constructor(raw: readonly string[]) {
    this.#raw = raw
  }

  get(name: string): string | null {
    const lower = name.toLowerCase()
    const raw = this.#raw
    let value: string | null = null
    for (let i = 0; i + 1 < raw.length; i += 2) {
      if (!sameName(raw[i] as string, lower)) continue
      const line = raw[i + 1] as string
      value = value === null ? line : `${value}, ${line}`
    }
    return value
  }

  getAll(name: string): readonly string[] {
    const lower = name.toLowerCase()
    const raw = this.#raw
    let values: string[] | undefined
    for (let i = 0; i + 1 < raw.length; i += 2) {
      if (!sameName(raw[i] as string, lower)) continue
      if (values === undefined) values = []
      values.push(raw[i + 1] as string)
    }
    // Most lookups (forwarding headers on a direct connection) find nothing: they share one list.
    return values ?? none
  }

  has(name: string): boolean {
    const lower = name.toLowerCase()
    const raw = this.#raw
    for (let i = 0; i < raw.length; i += 2) if (sameName(raw[i] as string, lower)) return true
    return false
  }
}
