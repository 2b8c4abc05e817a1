import { generateKeyPairSync } from 'node:crypto'
import {
  type ApiKeys,
  type Clock,
  createApiKeys,
  createTokenIssuer,
  createTokenVerifier,
  cryptoRandom,
  memoryApiKeyStore,
  memoryRefreshTokenStore,
  memoryRevocationStore,
  type RandomSource,
  systemClock,
  type TokenIssuer,
  type TokenVerifier,
} from '@sec/core'
import { indexSessions } from './session-index.js'
import { createUserDirectory, type UserDirectory } from './user-directory.js'

/** The `iss` of the demo's access tokens: a name, not a URL, so it does not depend on the port. */
export const demoIssuer = 'urn:sec:demo'
/** The `aud` of the demo's access tokens: the Notes API. */
export const demoAudience = 'urn:sec:demo:api'
/** The `client_id` of the demo's access tokens: the demo is its own (first-party) OAuth client. */
export const demoClientId = 'notes-demo'

/** How long an access token is valid: 15 minutes (the issuer refuses more than 60). */
export const accessTokenLifetime = '15m'
/** How long a refresh token can be used: a day; each refresh issues a new one. */
export const refreshTokenLifetime = '1d'
/** How long a sign-in lasts in all, however often it is refreshed: a week, then sign in again. */
export const sessionLifetime = '7d'
/** How long a rotated API key keeps working, so its clients can switch without downtime: a day. */
export const apiKeyRotationGrace = '24h'

/** Options of {@link createDemoIdentity}. */
export interface DemoIdentityOptions {
  /** The clock of tokens, revocations and API keys. Default: `Date.now`. */
  readonly clock?: Clock
  /** The random source of token ids, refresh tokens, API keys, salts and the key id. Default: `crypto.getRandomValues`. */
  readonly random?: RandomSource
  /** scrypt's N for the users' password hashes. Default: `16384`. */
  readonly passwordCost?: number
}

/** Who the demo's users are, and the tokens and keys they authenticate with. */
export interface DemoIdentity {
  /** The users and their scrypt password hashes. */
  readonly users: UserDirectory
  /** Issues access tokens (ES256, 15 minutes) and rotating refresh tokens; publishes the JWKS. */
  readonly issuer: TokenIssuer
  /** Verifies the access tokens the issuer signed (RFC 9068 strict mode), and refuses revoked ones. */
  readonly verifier: TokenVerifier
  /** Issues, rotates, revokes and verifies API keys (`sk_test_…`). */
  readonly apiKeys: ApiKeys
  /**
   * Signs out the session of an access token: revokes the token itself (until `expiresAt`, ms since
   * the epoch), the refresh tokens of its family and every access token issued with them.
   */
  signOut(accessTokenId: string, expiresAt: number): Promise<void>
}

function base64url(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64url')
}

/**
 * Builds the demo's identity: an ES256 signing key generated now (so every start has a new one and
 * earlier tokens stop verifying: a demo, not a key management scheme), the token issuer and its
 * verifier sharing one revocation store, API keys in memory, and the users.
 */
export function createDemoIdentity(options: DemoIdentityOptions = {}): DemoIdentity {
  const clock = options.clock ?? systemClock
  const random = options.random ?? cryptoRandom
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const jwk = privateKey.export({ format: 'jwk' })
  const publicJwk = { kty: 'EC', crv: 'P-256', x: jwk.x as string, y: jwk.y as string }
  const kid = `demo-${base64url(random(new Uint8Array(6)))}`
  const revocations = memoryRevocationStore({ clock })
  const sessions = indexSessions(memoryRefreshTokenStore({ clock }), { clock })
  const issuer = createTokenIssuer({
    issuer: demoIssuer,
    audience: demoAudience,
    signingKeys: [{ key: jwk, kid }],
    accessTokenTtl: accessTokenLifetime,
    refreshTokenTtl: refreshTokenLifetime,
    refreshFamilyTtl: sessionLifetime,
    store: sessions,
    revocations,
    clock,
    random,
  })
  const verifier = createTokenVerifier({
    keys: { keys: [{ ...publicJwk, kid, alg: 'ES256', use: 'sig' }] },
    issuer: demoIssuer,
    audience: demoAudience,
    algorithms: ['ES256'],
    strict: true,
    revocationStore: revocations,
  })
  const apiKeys = createApiKeys({
    store: memoryApiKeyStore({ clock }),
    environment: 'test',
    // Keys live in this process's memory, so a pepper made at start-up lives exactly as long.
    pepper: random(new Uint8Array(32)),
    clock,
    random,
  })
  const users = createUserDirectory({
    random,
    ...(options.passwordCost !== undefined && { passwordCost: options.passwordCost }),
  })
  return {
    users,
    issuer,
    verifier,
    apiKeys,
    async signOut(accessTokenId, expiresAt) {
      await revocations.revoke(accessTokenId, expiresAt)
      const familyId = sessions.familyOf(accessTokenId)
      if (familyId === undefined) return
      for (const token of await sessions.revokeFamily(familyId))
        await revocations.revoke(token.accessTokenId, token.accessTokenExpiresAt)
    },
  }
}
