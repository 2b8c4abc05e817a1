const plainTarget = /^\/[\x21-\x7e]*$/
const encoder = new TextEncoder()

function percentEncode(char: string): string {
  let out = ''
  for (const byte of encoder.encode(char)) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`
  return out
}

/**
 * The request target as it may appear in a `Location` header: origin-form only (starting with `/`),
 * with spaces, control and non-ASCII characters percent-encoded so the header is always valid.
 * `undefined` for any other form (`*`, absolute-form), which gets no redirect.
 */
export function redirectTarget(target: string): string | undefined {
  if (target.charCodeAt(0) !== 0x2f /* / */) return undefined
  if (plainTarget.test(target)) return target
  let out = ''
  for (const char of target) {
    const code = char.codePointAt(0) as number
    out += code >= 0x21 && code <= 0x7e ? char : percentEncode(char)
  }
  return out
}
