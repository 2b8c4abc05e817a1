import { canonicalComponent } from './uri-encode.js'

/** One query parameter, name and value in canonical (SigV4-escaped) form. */
export type QueryParameter = readonly [name: string, value: string]

/**
 * The parameters of a raw query string (without `?`), each name and value decoded once and
 * re-escaped canonically, in the order sent. Empty pieces (`a=1&&b=2`) are skipped; a name
 * without `=` has the empty value.
 */
export function parseQuery(query: string): QueryParameter[] {
  const parameters: QueryParameter[] = []
  if (query === '') return parameters
  for (const piece of query.split('&')) {
    if (piece === '') continue
    const eq = piece.indexOf('=')
    parameters.push(
      eq === -1
        ? [canonicalComponent(piece), '']
        : [canonicalComponent(piece.slice(0, eq)), canonicalComponent(piece.slice(eq + 1))],
    )
  }
  return parameters
}

function byNameThenValue(a: QueryParameter, b: QueryParameter): number {
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1
  if (a[1] !== b[1]) return a[1] < b[1] ? -1 : 1
  return 0
}

/**
 * The canonical query string: parameters sorted by name then value (code unit order, which is
 * byte order for escaped text), joined as `name=value` with `&`. `skip` leaves one name out (the
 * signature of a presigned URL).
 */
export function canonicalQuery(parameters: readonly QueryParameter[], skip?: string): string {
  if (parameters.length === 0) return ''
  const kept = skip === undefined ? [...parameters] : parameters.filter((p) => p[0] !== skip)
  kept.sort(byNameThenValue)
  let out = ''
  for (const [name, value] of kept) out += out === '' ? `${name}=${value}` : `&${name}=${value}`
  return out
}
