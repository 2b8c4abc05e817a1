import { type FieldRecord, fieldsToRecord } from '../body/form-parse.js'
import type { RequestHeaders } from '../request/index.js'

/**
 * The query as an object: one value as a string, a repeated name as an array of its values in
 * order (`?tag=a&tag=b` gives `{ tag: ['a', 'b'] }`), so the schema, not the parser, decides
 * whether a list is allowed. `__proto__`, `constructor` and `prototype` are refused.
 */
export function queryRecord(query: URLSearchParams): FieldRecord {
  return fieldsToRecord(query, 'query', Number.MAX_SAFE_INTEGER)
}

function lookup(headers: RequestHeaders, name: string | symbol): string | undefined {
  if (typeof name !== 'string') return undefined
  try {
    return headers.get(name) ?? undefined
  } catch {
    // Not a valid header name (Headers.get throws): no such header can have been sent.
    return undefined
  }
}

/**
 * The request headers as an object a schema can read: a property lookup is a case-insensitive
 * header lookup, so a schema sees the headers it declares and nothing is copied. It lists no
 * keys, so unknown headers are never reported; repeated fields read joined with `", "`.
 */
export function headerView(headers: RequestHeaders): Readonly<Record<string, string | undefined>> {
  return new Proxy<Record<string | symbol, unknown>>(
    {},
    {
      get: (target, name) => (Object.hasOwn(target, name) ? target[name] : lookup(headers, name)),
      has: (target, name) => Object.hasOwn(target, name) || lookup(headers, name) !== undefined,
      getOwnPropertyDescriptor(target, name) {
        const own = Object.getOwnPropertyDescriptor(target, name)
        if (own !== undefined) return own
        const value = lookup(headers, name)
        return value === undefined
          ? undefined
          : { value, writable: false, enumerable: true, configurable: true }
      },
    },
  ) as Readonly<Record<string, string | undefined>>
}
