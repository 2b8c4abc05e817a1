import { exportJWK, generateKeyPair, SignJWT } from 'jose'
import { jwtAudience, jwtIssuer } from './note-schema.mjs'

/**
 * The auth scenario's key and token: an RS256 key pair made for this run, its public key set for
 * the servers, and one access token every request presents (as one client's requests would).
 */
export async function authSetup() {
  const { publicKey, privateKey } = await generateKeyPair('RS256')
  const jwk = { ...(await exportJWK(publicKey)), kid: 'bench-1', alg: 'RS256', use: 'sig' }
  const now = Math.floor(Date.now() / 1000)
  const token = await new SignJWT({ scope: 'notes:write' })
    .setProtectedHeader({ alg: 'RS256', kid: jwk.kid })
    .setIssuer(jwtIssuer)
    .setAudience(jwtAudience)
    .setSubject('user-1')
    .setIssuedAt(now)
    .setExpirationTime(now + 4 * 3600)
    .sign(privateKey)
  return { jwks: { keys: [jwk] }, token }
}
