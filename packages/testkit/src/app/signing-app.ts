import {
  body,
  createSecurity,
  type Guard,
  importMessageSignatureKey,
  memoryNonceStore,
  messageSignature,
  type Outcome,
  type Security,
  sigv4,
  stripeWebhook,
  webhook,
} from '@sec/core'

/**
 * The test credentials of the signing app, shared by its server and the suite's client. Test
 * values: never use them anywhere else.
 */
export const signingCredentials = {
  /** A SigV4 client, with the AWS names. */
  sigv4: {
    accessKeyId: 'AKIDTESTKIT',
    secretAccessKey: 'testkit-sigv4-secret-0123456789',
    region: 'test',
    service: 'notes',
  },
  /** An RFC 9421 `hmac-sha256` key: 32 bytes, as UTF-8 text. */
  messageSignature: { keyId: 'testkit-hmac', secret: 'testkit-rfc9421-hmac-key-32bytes' },
  /** A Standard Webhooks secret: `whsec_` and 32 bytes in base64. */
  webhook: { secret: 'whsec_dGVzdGtpdC1zdGFuZGFyZC13ZWJob29rcy1rZXkh' },
  /** A Stripe endpoint secret. */
  stripe: { secret: 'whsec_testkit_stripe_endpoint_secret' },
} as const

/** The route guards of the signing app: one verifier each, then `body()` to parse the verified JSON. */
export interface SigningRoutes {
  /** `POST /signing/sigv4`: `sigv4` with a nonce store, then `body()`. */
  readonly sigv4: readonly Guard[]
  /** `POST /signing/message-signature`: `messageSignature` with a nonce store (Content-Digest required for bodies), then `body()`. */
  readonly messageSignature: readonly Guard[]
  /** `POST /signing/webhook`: `webhook` with a replay store, then `body()`. */
  readonly webhook: readonly Guard[]
  /** `POST /signing/stripe`: `stripeWebhook` with a replay store, then `body()`. */
  readonly stripe: readonly Guard[]
}

/** The handler every signing route shares. */
export interface SigningHandlers {
  /** Answers 200 with `{ principal, body }`: the id the guard authenticated, and the body `body()` parsed. */
  echo(outcome: Outcome): unknown
}

/** The signing app: no app-wide guard, a verifier per route. */
export interface SigningApp {
  readonly security: Security
  readonly routes: SigningRoutes
  readonly handlers: SigningHandlers
}

/** The paths the adapters serve the signing app on, each `POST`. */
export const signingPaths = {
  sigv4: '/signing/sigv4',
  messageSignature: '/signing/message-signature',
  webhook: '/signing/webhook',
  stripe: '/signing/stripe',
} as const

/**
 * Builds the signing app: fresh nonce and replay stores in memory, so every server it backs starts
 * with none seen. The verifiers read the raw body through the pipeline, which is the point: each
 * adapter must hand them the bytes as sent, and still let `body()` parse them.
 */
export function createSigningApp(): SigningApp {
  const { sigv4: client, messageSignature: rfc9421, webhook: standard, stripe } = signingCredentials
  const hmacKey = importMessageSignatureKey('hmac-sha256', new TextEncoder().encode(rfc9421.secret), 'verify')
  const json = body({ types: ['application/json'] })
  return {
    security: createSecurity({ guards: [] }),
    routes: {
      sigv4: [
        sigv4({
          credentials: (id) => (id === client.accessKeyId ? [client.secretAccessKey] : undefined),
          region: client.region,
          service: client.service,
          nonce: { store: memoryNonceStore() },
        }),
        json,
      ],
      messageSignature: [
        messageSignature({
          keys: (keyId) => (keyId === rfc9421.keyId ? hmacKey : undefined),
          nonces: memoryNonceStore(),
        }),
        json,
      ],
      webhook: [webhook({ secrets: [standard.secret], replay: memoryNonceStore() }), json],
      stripe: [stripeWebhook({ secrets: [stripe.secret], replay: memoryNonceStore() }), json],
    },
    handlers: {
      echo: (outcome) => ({ principal: outcome.principal?.id ?? null, body: outcome.body }),
    },
  }
}
