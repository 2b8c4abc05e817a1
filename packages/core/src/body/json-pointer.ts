/**
 * An RFC 6901 JSON pointer to a location in a document: `''` is the root, `/tags/0` the first tag.
 */
export function jsonPointer(segments: readonly (string | number)[], count = segments.length): string {
  let pointer = ''
  for (let i = 0; i < count; i++) pointer += `/${pointerSegment(segments[i] as string | number)}`
  return pointer
}

/** One escaped pointer segment (`~` becomes `~0`, `/` becomes `~1`). */
export function pointerSegment(segment: string | number): string {
  if (typeof segment === 'number') return String(segment)
  return segment.includes('~') || segment.includes('/')
    ? segment.replaceAll('~', '~0').replaceAll('/', '~1')
    : segment
}
