const encoder = new TextEncoder()
const decoder = new TextDecoder()

/** `%XX` for every byte value, upper-case as SigV4 requires. */
const escaped = Array.from({ length: 256 }, (_, i) => `%${i.toString(16).toUpperCase().padStart(2, '0')}`)

/** RFC 3986 unreserved characters, which SigV4 never escapes: `A-Z a-z 0-9 - . _ ~`. */
const unreserved = new Uint8Array(128)
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~')
  unreserved[c.charCodeAt(0)] = 1

const slash = 0x2f

function isUnreservedText(value: string, keepSlash: boolean): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i)
    if (!(c < 128 && (unreserved[c] === 1 || (keepSlash && c === slash)))) return false
  }
  return true
}

/** Escapes bytes the SigV4 way: unreserved bytes kept, every other byte `%XX` (and `/` kept when asked). */
export function uriEncodeBytes(bytes: Uint8Array, keepSlash = false): string {
  let out = ''
  for (const b of bytes)
    out +=
      b < 128 && (unreserved[b] === 1 || (keepSlash && b === slash)) ? String.fromCharCode(b) : escaped[b]
  return out
}

/**
 * Escapes text as SigV4 does (AWS's `UriEncode`): the UTF-8 of every character outside
 * `A-Z a-z 0-9 - . _ ~` becomes upper-case `%XX`, a space `%20` (never `+`); `/` is kept only when
 * `keepSlash` (paths). A lone surrogate, which has no UTF-8, is escaped as U+FFFD.
 */
export function uriEncode(value: string, keepSlash = false): string {
  return isUnreservedText(value, keepSlash) ? value : uriEncodeBytes(encoder.encode(value), keepSlash)
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30
  const lower = c | 0x20
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x61 + 10
  return -1
}

/**
 * The bytes a percent-encoded component stands for: each `%XX` becomes its byte, every other
 * character its UTF-8. A `%` not followed by two hex digits stands for itself. `+` stays `+`:
 * SigV4 query strings are not form encoded.
 */
export function percentDecodeBytes(value: string): Uint8Array {
  if (!value.includes('%')) return encoder.encode(value)
  const text = encoder.encode(value)
  const out = new Uint8Array(text.length)
  let n = 0
  for (let i = 0; i < text.length; i++) {
    const b = text[i] as number
    if (b === 0x25 && i + 2 < text.length) {
      const high = hexValue(text[i + 1] as number)
      const low = hexValue(text[i + 2] as number)
      if (high >= 0 && low >= 0) {
        out[n++] = (high << 4) | low
        i += 2
        continue
      }
    }
    out[n++] = b
  }
  return out.subarray(0, n)
}

/** Re-escapes a percent-encoded component canonically: decoded once, then {@link uriEncodeBytes}. */
export function canonicalComponent(value: string, keepSlash = false): string {
  if (isUnreservedText(value, keepSlash)) return value
  return uriEncodeBytes(percentDecodeBytes(value), keepSlash)
}

/** The text of a percent-encoded component (invalid UTF-8 becomes U+FFFD). */
export function percentDecode(value: string): string {
  return value.includes('%') ? decoder.decode(percentDecodeBytes(value)) : value
}
