/**
 * The scopes a token grants, from the `scope` claim (RFC 9068 / RFC 8693: a space-separated string)
 * and the `scp` claim some issuers use instead (a list, or a space-separated string). Both are
 * merged when both are present. Returns `undefined` when either claim has another shape, so that
 * the token is refused rather than read as granting nothing or everything.
 */
export function scopesOf(claims: Readonly<Record<string, unknown>>): readonly string[] | undefined {
  const scope = claims.scope
  const scp = claims.scp
  if (scope === undefined && scp === undefined) return []
  const out = new Set<string>()
  if (scope !== undefined) {
    if (typeof scope !== 'string') return undefined
    addSpaceSeparated(out, scope)
  }
  if (scp !== undefined) {
    if (typeof scp === 'string') addSpaceSeparated(out, scp)
    else if (Array.isArray(scp)) {
      for (const item of scp) {
        if (typeof item !== 'string') return undefined
        if (item !== '') out.add(item)
      }
    } else return undefined
  }
  return [...out]
}

function addSpaceSeparated(out: Set<string>, value: string): void {
  for (const item of value.split(' ')) if (item !== '') out.add(item)
}
