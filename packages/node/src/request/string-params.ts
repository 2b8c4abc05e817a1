const noParams: Readonly<Record<string, string>> = Object.freeze({})

/**
 * A router's params as the strings guards expect. Express 5 and path-to-regexp 8 give a wildcard
 * param (`/*path`) as an array of segments; it is joined with `/`. Params that are all strings
 * already are returned as they are, without a copy.
 */
export function stringParams(
  params: Readonly<Record<string, unknown>> | undefined,
): Readonly<Record<string, string>> {
  if (params === undefined) return noParams
  for (const name in params) {
    if (typeof params[name] === 'string') continue
    const joined: Record<string, string> = {}
    for (const key in params) {
      const value = params[key]
      joined[key] = Array.isArray(value) ? value.join('/') : String(value)
    }
    return joined
  }
  return params as Readonly<Record<string, string>>
}
