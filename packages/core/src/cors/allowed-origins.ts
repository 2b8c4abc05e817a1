import { configError } from '../config/index.js'

/** An allowed origin: an exact origin such as `'https://app.example.com'`, or an anchored RegExp. */
export type CorsOrigin = string | RegExp

/** Whether a request's `Origin` is allowed. */
export type OriginCheck = (origin: string) => boolean

const originParts = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)([\s\S]*)$/

// A serialized origin as browsers send it: lower-case scheme and host (IDNs in punycode), an
// optional port. Patterns are only tried on strings of this shape, so no pattern can be tricked by
// a value no browser would send (`null`, a list, a URL with a path).
const serializedOrigin =
  /^[a-z][a-z0-9+.-]*:\/\/(?:[a-z0-9_-]+(?:\.[a-z0-9_-]+)*\.?|\[[0-9a-f:.]+\])(?::[0-9]{1,5})?$/

const canaries = ['https://sec-cors-canary.invalid', 'http://sec-cors-canary.invalid']

/**
 * Normalizes an exact origin from the options to the form browsers send in `Origin`: lower-case
 * scheme and host, the host in punycode, no default port. Throws a `SecConfigError` at `path` for
 * anything that is not `scheme://host[:port]`, naming the fix.
 */
export function normalizeOrigin(value: string, path: string): string {
  if (value === 'null') return value
  if (value.includes('*'))
    configError(
      path,
      `${JSON.stringify(value)} is not a pattern: '*' only means itself here. Use an anchored RegExp, e.g. /^https:\\/\\/[a-z0-9-]+\\.example\\.com$/.`,
    )
  const parts = originParts.exec(value)
  if (parts === null)
    configError(
      path,
      `must be an origin, scheme://host[:port], e.g. 'https://app.example.com'; got ${JSON.stringify(value)}.`,
    )
  const scheme = (parts[1] as string).toLowerCase()
  const authority = parts[2] as string
  if (scheme === 'file')
    configError(
      path,
      "file: pages send 'Origin: null'. Only list 'null' if you accept every sandboxed page too.",
    )
  if (parts[3] !== '')
    configError(
      path,
      `an origin has no path, query or trailing slash: write '${scheme}://${authority}' instead of ${JSON.stringify(value)}.`,
    )
  if (authority.includes('@'))
    configError(path, `an origin has no user name or password; got ${JSON.stringify(value)}.`)
  let url: URL
  try {
    url = new URL(value)
  } catch {
    configError(path, `is not a valid origin: ${JSON.stringify(value)}.`)
  }
  if (url.hostname === '') configError(path, `has no host: ${JSON.stringify(value)}.`)
  return scheme === 'http' || scheme === 'https' ? url.origin : `${scheme}://${url.host.toLowerCase()}`
}

/**
 * Refuses an origin pattern that would match more than its author meant, with the fix: flags that
 * make `test()` stateful or change anchors, missing `^…$` anchors, a top-level `|` (which anchors
 * only its first and last branch), an unescaped `.` before a letter or digit (`app.example.com`
 * also matches `appxexample.com`), and a pattern that matches any origin.
 */
export function checkOriginPattern(pattern: RegExp, path: string): void {
  const source = pattern.source
  if (/[gym]/.test(pattern.flags))
    configError(
      path,
      `remove the ${pattern.flags.replace(/[^gym]/g, '')} flag: g and y make test() depend on the previous call, m makes ^ and $ match at line breaks.`,
    )
  let anchoredEnd = false
  let depth = 0
  let inClass = false
  for (let i = 0; i < source.length; i++) {
    const char = source[i]
    if (char === '\\') {
      i++
      continue
    }
    if (inClass) {
      if (char === ']') inClass = false
      continue
    }
    if (char === '[') inClass = true
    else if (char === '(') depth++
    else if (char === ')') depth--
    else if (char === '|' && depth === 0)
      configError(
        path,
        `${pattern} anchors only its first and last alternative: group them, as in /^(?:https:\\/\\/a\\.example\\.com|https:\\/\\/b\\.example\\.com)$/.`,
      )
    else if (char === '.' && /[A-Za-z0-9]/.test(source[i + 1] ?? ''))
      configError(
        path,
        `${pattern} has an unescaped '.', which matches any character: write '\\.' for a dot.`,
      )
    else if (char === '$' && i === source.length - 1) anchoredEnd = true
  }
  if (!source.startsWith('^') || !anchoredEnd)
    configError(
      path,
      `${pattern} must be anchored with ^ and $, or 'https://app.example.com.evil.test' would match too. Write e.g. /^https:\\/\\/app\\.example\\.com$/.`,
    )
  for (const canary of canaries) {
    if (pattern.test(canary))
      configError(
        path,
        `${pattern} matches any origin (it accepts ${canary}). Narrow it to your own domains.`,
      )
  }
}

/**
 * Builds one check for the allowed origins: a `Set` lookup for exact origins, then the patterns,
 * which are only tried on a well-formed serialized origin. The literal `null` origin matches only
 * when `'null'` is listed.
 */
export function createOriginCheck(exact: ReadonlySet<string>, patterns: readonly RegExp[]): OriginCheck {
  if (patterns.length === 0) return (origin) => exact.has(origin)
  return (origin) => {
    if (exact.has(origin)) return true
    if (!serializedOrigin.test(origin)) return false
    for (const pattern of patterns) if (pattern.test(origin)) return true
    return false
  }
}
