const encoder = new TextEncoder()

/**
 * The SHA-256 of a token, as a 32-character string (one character per byte): the key under which
 * its introspection answer is cached and deduplicated, so the cache holds no usable token and each
 * key has the same small size whatever the token's length.
 */
export async function tokenDigest(token: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(token)))
  return String.fromCharCode(...digest)
}
