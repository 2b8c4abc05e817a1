import type { SecurityRequest } from '@sec/core'
import type { HeaderLine } from '../args/header-flag.js'

/** What a `SecurityRequest` is built from. */
export interface RequestParts {
  readonly method: string
  readonly target: string
  readonly headers: readonly HeaderLine[]
  readonly body: Uint8Array
}

/** Header lines by lower-case name, each field line kept apart as the Node adapters keep them. */
export function headerFields(lines: readonly HeaderLine[]): {
  get(name: string): string | null
  getAll(name: string): readonly string[]
  has(name: string): boolean
} {
  const fields = new Map<string, string[]>()
  for (const [name, value] of lines) {
    const lower = name.toLowerCase()
    const values = fields.get(lower)
    if (values === undefined) fields.set(lower, [value])
    else values.push(value)
  }
  return {
    get: (name) => fields.get(name.toLowerCase())?.join(', ') ?? null,
    getAll: (name) => fields.get(name.toLowerCase()) ?? [],
    has: (name) => fields.has(name.toLowerCase()),
  }
}

/** A `SecurityRequest` over a saved request, for the library's verifiers. */
export function securityRequest(parts: RequestParts): SecurityRequest {
  return {
    method: parts.method,
    target: parts.target,
    headers: headerFields(parts.headers),
    remoteAddress: undefined,
    encrypted: true,
    // The whole body is in memory already; the verifiers are given it directly.
    body: async () => parts.body,
  }
}
