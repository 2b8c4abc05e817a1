/** The members RFC 7638 hashes, by key type, in the lexicographic order it requires. */
const requiredMembers: Readonly<Record<string, readonly string[]>> = {
  EC: ['crv', 'kty', 'x', 'y'],
  OKP: ['crv', 'kty', 'x'],
  RSA: ['e', 'kty', 'n'],
}

/**
 * The RFC 7638 thumbprint of a public key (SHA-256, base64url): the same for the private and the
 * public JWK of a pair, so it names the key without a registry of ids.
 */
export async function jwkThumbprint(jwk: Readonly<Record<string, unknown>>): Promise<string> {
  const members = requiredMembers[String(jwk.kty)]
  if (members === undefined) throw new TypeError(`No RFC 7638 thumbprint for key type ${String(jwk.kty)}`)
  const canonical = JSON.stringify(Object.fromEntries(members.map((name) => [name, jwk[name]])))
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(canonical))
  return Buffer.from(digest).toString('base64url')
}
