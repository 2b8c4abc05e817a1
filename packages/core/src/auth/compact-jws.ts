const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
const base64urlChars = /^[A-Za-z0-9_-]+$/

/**
 * Whether a base64url segment (RFC 4648 §5, unpadded) is the one canonical encoding of its bytes:
 * only alphabet characters, no `=`, a length that is not 1 mod 4, and zero bits where the last
 * character pads past the data. Decoders accept `…Q` and `…R` (or a trailing `==`) as the same
 * bytes; refusing all but one spelling keeps a signature from being re-encoded into a second,
 * equally valid token.
 */
export function isCanonicalBase64url(segment: string): boolean {
  if (!base64urlChars.test(segment)) return false
  const rest = segment.length % 4
  if (rest === 0) return true
  if (rest === 1) return false
  const last = alphabet.indexOf(segment.charAt(segment.length - 1))
  return rest === 2 ? (last & 0b1111) === 0 : (last & 0b11) === 0
}

/**
 * Whether a token has the shape of a compact JWS: exactly three non-empty, canonically base64url
 * encoded segments. Unsigned tokens (`alg: none`, empty signature), JWEs (five segments), JSON
 * serializations and re-encoded signatures fail here, before any parsing.
 */
export function isCompactJws(token: string): boolean {
  const first = token.indexOf('.')
  const second = token.indexOf('.', first + 1)
  if (first <= 0 || second <= first + 1 || second === token.length - 1) return false
  if (token.indexOf('.', second + 1) !== -1) return false
  return (
    isCanonicalBase64url(token.slice(0, first)) &&
    isCanonicalBase64url(token.slice(first + 1, second)) &&
    isCanonicalBase64url(token.slice(second + 1))
  )
}
