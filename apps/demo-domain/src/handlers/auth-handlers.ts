import {
  type BearerFacts,
  type Clock,
  catalogProblem,
  type Outcome,
  RefreshTokenError,
  type TokenIssuer,
  type TokenResponseBody,
  tokenResponseBody,
} from '@sec/core'
import { type DemoEventSink, type DemoIdentity, demoClientId, emitDemoEvent } from '../identity/index.js'
import type { RefreshInput } from '../schemas/index.js'
import { DemoProblemError } from '../service/index.js'

/** The JSON Web Key Set of `GET /.well-known/jwks.json`. */
export type JwksBody = Awaited<ReturnType<TokenIssuer['jwks']>>

/** The handlers of signing in and out. */
export interface AuthHandlers {
  /**
   * `POST /v1/auth/token`, after the route's guards checked the username and password: a new
   * access and refresh token pair for the signed-in user (200, `Cache-Control: no-store`).
   */
  issueToken(outcome: Outcome): Promise<TokenResponseBody>
  /**
   * `POST /v1/auth/refresh`: trades the validated refresh token for a new pair; the one presented
   * is spent. Any refusal is a thrown 401; a spent token presented again revokes its whole session.
   */
  refreshToken(outcome: Outcome): Promise<TokenResponseBody>
  /** `POST /v1/auth/logout`, answered with 204: ends the session of the access token presented. */
  signOut(outcome: Outcome): Promise<void>
  /** `GET /.well-known/jwks.json`: the public keys that verify the access tokens. */
  jwks(): Promise<JwksBody>
}

/** Options of {@link createAuthHandlers}. */
export interface AuthHandlersOptions {
  readonly identity: DemoIdentity
  /** Where `auth.refresh-reused` goes. */
  readonly events: readonly DemoEventSink[]
  /** The clock of those events. */
  readonly clock: Clock
}

const invalidRefreshToken = catalogProblem('unauthorized', { detail: 'The refresh token is not valid.' })

/** The handlers of `/v1/auth/*` and of the JWKS. */
export function createAuthHandlers(options: AuthHandlersOptions): AuthHandlers {
  const { identity, events, clock } = options
  return {
    async issueToken(outcome) {
      // The password-login guard set the principal, with the scopes asked for (all by default).
      const principal = outcome.principal
      if (principal === undefined) throw new DemoProblemError(catalogProblem('unauthorized'))
      const tokens = await identity.issuer.issue({
        subject: principal.id,
        scope: principal.scopes ?? [],
        clientId: demoClientId,
      })
      return tokenResponseBody(tokens)
    },

    async refreshToken(outcome) {
      try {
        return tokenResponseBody(await identity.issuer.refresh((outcome.body as RefreshInput).refresh_token))
      } catch (error) {
        if (!(error instanceof RefreshTokenError)) throw error
        if (error.reason === 'reused')
          emitDemoEvent(
            events,
            {
              time: clock.now(),
              requestId: outcome.requestId,
              method: 'POST',
              path: '/v1/auth/refresh',
              clientIp: outcome.client.ip,
            },
            { type: 'auth.refresh-reused' },
          )
        throw new DemoProblemError(invalidRefreshToken)
      }
    },

    async signOut(outcome) {
      // The signed-in guard let only a verified access token through, so bearer facts are there.
      const facts = outcome.facts.bearer as BearerFacts
      if (!('tokenId' in facts) || facts.tokenId === undefined)
        throw new DemoProblemError(catalogProblem('unauthorized'))
      await identity.signOut(facts.tokenId, facts.expiresAt)
    },

    jwks: () => identity.issuer.jwks(),
  }
}
