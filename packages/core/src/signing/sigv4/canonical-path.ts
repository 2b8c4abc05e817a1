import { canonicalComponent, uriEncode } from './uri-encode.js'

/** How the path of a request becomes the canonical URI. */
export interface PathRules {
  /**
   * Remove `.` and `..` segments (RFC 3986 section 5.2.4) and empty segments (`//`) first, keeping
   * a trailing `/`. Every AWS service but S3 does; S3 signs object keys such as `a//b/../c` as they are.
   */
  readonly normalize: boolean
  /**
   * Escape the path as sent (already percent-encoded) once more: `%20` signs as `%2520`. Every AWS
   * service but S3 does. When `false` (S3) each segment is escaped once, canonically: `%7E` and `~`
   * sign alike, and so do `%20` and a space.
   */
  readonly doubleEncode: boolean
}

function removeDotSegments(path: string): string {
  // Most paths have nothing to remove.
  if (path.startsWith('/') && !path.includes('//') && !path.includes('/.')) return path
  const segments: string[] = []
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue
    if (segment === '..') segments.pop()
    else segments.push(segment)
  }
  // As the AWS SDKs do, a trailing slash stays only when the path ends with one: `/a/.` signs as
  // `/a` (RFC 3986 alone would give `/a/`).
  const trailing = segments.length > 0 && path.endsWith('/') ? '/' : ''
  return `/${segments.join('/')}${trailing}`
}

/** The canonical URI of a request path (without its query): the second line of the canonical request. */
export function canonicalPath(path: string, rules: PathRules): string {
  if (path === '') return '/'
  const normalized = rules.normalize ? removeDotSegments(path) : path
  if (rules.doubleEncode) return uriEncode(normalized, true)
  return normalized
    .split('/')
    .map((segment) => canonicalComponent(segment))
    .join('/')
}
