import { invalidUtf8 } from './body-problems.js'

// Fatal: a replacement character would hide malformed input and let two readers disagree on it.
// A leading byte order mark is dropped (RFC 8259 section 8.1 lets parsers ignore it).
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false })

/**
 * Decodes strict UTF-8: overlong forms, encoded surrogates, truncated sequences and stray
 * continuation bytes are refused with a 400 `invalid-utf8` problem.
 */
export function decodeUtf8(bytes: Uint8Array, detail?: string): string {
  try {
    return decoder.decode(bytes)
  } catch {
    throw invalidUtf8(detail)
  }
}

/** Whether a string holds a UTF-16 surrogate without its partner (text UTF-8 cannot encode). */
export function hasLoneSurrogate(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i)
    if (unit < 0xd800 || unit > 0xdfff) continue
    if (unit > 0xdbff) return true
    const next = text.charCodeAt(i + 1)
    if (!(next >= 0xdc00 && next <= 0xdfff)) return true
    i++
  }
  return false
}
