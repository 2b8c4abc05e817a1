/**
 * Request headers as the standalone verifiers take them: a Web `Headers`, a `SecurityRequest`'s
 * headers, anything with `get(name)`, or a plain object such as Node's `req.headers` (names in any
 * case; a repeated header as an array).
 */
export type WebhookHeaderSource =
  | { get(name: string): string | null | undefined }
  | Readonly<Record<string, string | readonly string[] | undefined>>

interface HeaderGetter {
  get(name: string): string | null | undefined
  getAll?(name: string): readonly string[]
}

function recordValue(
  record: Readonly<Record<string, string | readonly string[] | undefined>>,
  name: string,
): string | readonly string[] | undefined {
  if (Object.hasOwn(record, name)) return record[name]
  for (const key of Object.keys(record)) if (key.toLowerCase() === name) return record[key]
  return undefined
}

/** Every field line of a header (lower-case `name`); a source that joins duplicates gives one line. */
export function headerLines(source: WebhookHeaderSource, name: string): readonly string[] {
  const getter = source as HeaderGetter
  if (typeof getter.get === 'function') {
    if (typeof getter.getAll === 'function') return getter.getAll(name)
    const value = getter.get(name)
    return typeof value === 'string' ? [value] : []
  }
  const value = recordValue(source as Readonly<Record<string, string | readonly string[] | undefined>>, name)
  if (typeof value === 'string') return [value]
  return Array.isArray(value) ? value.filter((line): line is string => typeof line === 'string') : []
}
