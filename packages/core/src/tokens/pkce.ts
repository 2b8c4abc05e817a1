import { base64url } from 'jose'
import { SecError } from '../errors/index.js'
import { cryptoRandom, type RandomSource } from '../pipeline/index.js'
import { stringsEqual } from './constant-time.js'

/** The only PKCE method accepted: `plain` sends the secret itself as the challenge, so it protects nothing. */
export type CodeChallengeMethod = 'S256'

/** Thrown by {@link codeChallengeS256} for a code verifier RFC 7636 does not allow. */
export class InvalidCodeVerifierError extends SecError {
  constructor() {
    super(
      'SEC_PKCE_VERIFIER',
      'A PKCE code verifier must be 43 to 128 characters of A-Z, a-z, 0-9, "-", ".", "_" and "~" (RFC 7636 section 4.1). Make one with createCodeVerifier().',
    )
  }
}

const verifierPattern = /^[A-Za-z0-9\-._~]{43,128}$/
const challengePattern = /^[A-Za-z0-9\-_]{43}$/
const encoder = new TextEncoder()

/** Whether a string is a well-formed RFC 7636 code verifier (43 to 128 unreserved characters). */
export function isCodeVerifier(value: unknown): value is string {
  return typeof value === 'string' && verifierPattern.test(value)
}

/**
 * Makes a PKCE code verifier: 32 random bytes as base64url, 43 characters (256 bits, the size RFC
 * 7636 recommends). The client keeps it and sends {@link codeChallengeS256} of it with the
 * authorization request, then the verifier itself with the token request.
 *
 * @param random The random source. Default: `crypto.getRandomValues`.
 */
export function createCodeVerifier(random: RandomSource = cryptoRandom): string {
  return base64url.encode(random(new Uint8Array(32)))
}

/**
 * The `S256` code challenge of a verifier: `BASE64URL(SHA-256(ASCII(verifier)))`, 43 characters.
 * Throws an {@link InvalidCodeVerifierError} for a malformed verifier.
 */
export async function codeChallengeS256(verifier: string): Promise<string> {
  if (!isCodeVerifier(verifier)) throw new InvalidCodeVerifierError()
  const digest = await crypto.subtle.digest('SHA-256', encoder.encode(verifier))
  return base64url.encode(new Uint8Array(digest))
}

/**
 * For an authorization server: whether the verifier sent with a token request matches the challenge
 * stored with the authorization code. The comparison is constant time. Anything malformed (a
 * verifier outside RFC 7636's alphabet or length, a challenge that is not 43 base64url characters, a
 * method other than `S256`, `plain` included) answers `false` rather than throwing, so a token
 * endpoint can answer `invalid_grant` for all of them alike.
 *
 * @param method The `code_challenge_method` stored with the code. Default: `'S256'`.
 */
export async function verifyCodeChallenge(
  verifier: string,
  challenge: string,
  method: string = 'S256',
): Promise<boolean> {
  if (method !== 'S256' || !isCodeVerifier(verifier)) return false
  if (typeof challenge !== 'string' || !challengePattern.test(challenge)) return false
  return stringsEqual(await codeChallengeS256(verifier), challenge)
}
