/**
 * Whether text may stand in an HTTP field value or request target as sent: no control character
 * but the tab (so no CR or LF that would end the line and start another).
 */
export function hasNoControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if ((code < 0x20 && code !== 0x09) || code === 0x7f) return false
  }
  return true
}
