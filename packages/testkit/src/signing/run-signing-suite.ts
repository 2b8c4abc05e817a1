import { randomUUID } from 'node:crypto'
import {
  contentDigest,
  createSigner,
  createWebhookSigner,
  importMessageSignatureKey,
  signMessage,
  signStripePayload,
} from '@sec/core'
import { nodeSigningCrypto } from '@sec/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signingCredentials, signingPaths } from '../app/signing-app.js'
import { type ConformanceResponse, type HeaderLines, sendRequest } from '../client/send-request.js'
import type { ListeningServer } from '../server/listen-on-free-port.js'

/** Starts a real server for the signing app (`createSigningApp()`) on an ephemeral port of 127.0.0.1. */
export type StartSigningServer = () => Promise<ListeningServer>

/** Options of {@link runSigningSuite}. */
export interface SigningSuiteOptions {
  /** How long starting the server may take, in ms. Default: `10000`. */
  readonly startTimeout?: number
}

/**
 * A JSON body whose bytes any re-serialization would change (spaces, a line break, `1.50`,
 * non-ASCII text): a verifier handed anything but the raw bytes refuses it.
 */
export const signedJsonBody = '{ "title": "Café ☕",\n  "amount": 1.50, "tags": ["b", "a"] }'

/** What `body()` makes of {@link signedJsonBody}, as the handler echoes it. */
const parsedBody = { title: 'Café ☕', amount: 1.5, tags: ['b', 'a'] }

/** One signing scheme the suite runs its cases for. */
interface Scheme {
  readonly name: string
  readonly path: string
  /** The principal id the guard sets. */
  readonly principal: string
  /** Header lines that sign a `POST` of `body` to `url`, besides `Content-Type`. */
  sign(url: string, body: string): Promise<HeaderLines>
  /** The reason and detail of a body that is not the one signed. */
  readonly tampered: readonly [reason: string, detail: string]
  /** The detail of a request without any signature. */
  readonly missing: string
  /** The detail of a replay. */
  readonly replayed: string
  /** Headers every refusal of this scheme carries besides the problem's. */
  readonly challenge: Readonly<Record<string, string>>
}

let deliveries = 0
const nextId = () => `msg_testkit_${++deliveries}`
let stripeAttempts = 0
const stripeStart = Math.floor(Date.now() / 1000)

function schemes(): readonly Scheme[] {
  const { sigv4, messageSignature, webhook, stripe } = signingCredentials
  const signer = createSigner({ ...sigv4, crypto: nodeSigningCrypto })
  const hmacKey = importMessageSignatureKey(
    'hmac-sha256',
    new TextEncoder().encode(messageSignature.secret),
    'sign',
  )
  const webhookSigner = createWebhookSigner({ secret: webhook.secret })
  return [
    {
      name: 'SigV4 (sigv4)',
      path: signingPaths.sigv4,
      principal: sigv4.accessKeyId,
      async sign(url, body) {
        return Object.entries(
          await signer.sign({ method: 'POST', url, headers: { 'content-type': 'application/json' }, body }),
        )
      },
      tampered: ['body-mismatch', 'The body does not match the signed content hash.'],
      missing:
        'This request must be signed: send an Authorization header (AWS4-HMAC-SHA256) or use a presigned URL.',
      replayed: 'This request was already received: its nonce can be used once.',
      challenge: { 'www-authenticate': 'AWS4-HMAC-SHA256 realm="api"' },
    },
    {
      name: 'RFC 9421 (messageSignature)',
      path: signingPaths.messageSignature,
      principal: messageSignature.keyId,
      async sign(url, body) {
        const digest = await contentDigest(body)
        const headers = new Headers({ 'content-type': 'application/json', 'content-digest': digest })
        const signature = await signMessage(
          { method: 'POST', url, headers },
          {
            key: await hmacKey,
            keyId: messageSignature.keyId,
            components: ['@method', '@authority', '@path', '@query', 'content-type', 'content-digest'],
            nonce: randomUUID(),
          },
        )
        return [
          ['Content-Digest', digest],
          ['Signature-Input', signature.signatureInput],
          ['Signature', signature.signature],
        ]
      },
      tampered: ['digest-mismatch', 'The body does not match its Content-Digest.'],
      missing:
        'This resource needs an HTTP message signature: Signature-Input and Signature headers (RFC 9421).',
      replayed: 'The message signature was already used.',
      challenge: {},
    },
    {
      name: 'Standard Webhooks (webhook)',
      path: signingPaths.webhook,
      principal: 'webhook',
      async sign(_url, body) {
        return Object.entries(await webhookSigner.sign({ id: nextId(), payload: body }))
      },
      tampered: ['bad-signature', 'No v1 signature in webhook-signature matches this payload.'],
      missing: 'The webhook-id header is missing.',
      replayed: 'This webhook delivery was already received.',
      challenge: {},
    },
    {
      name: 'Stripe (stripeWebhook)',
      path: signingPaths.stripe,
      principal: 'stripe',
      async sign(_url, body) {
        // Stripe's replay identity is the timestamp and signature: each attempt gets a time of its
        // own, counted down from the suite's start (from the current second, two attempts on either
        // side of a second boundary would share one).
        const timestamp = stripeStart - ++stripeAttempts
        return [['Stripe-Signature', await signStripePayload(body, stripe.secret, { timestamp })]]
      },
      tampered: ['bad-signature', 'No v1 signature in Stripe-Signature matches this payload.'],
      missing: 'The Stripe-Signature header is missing.',
      replayed: 'This webhook delivery was already received.',
      challenge: {},
    },
  ]
}

function refusal(reason: string, detail: string): string {
  return JSON.stringify({
    detail,
    reason,
    type: 'urn:sec:problem:unauthorized',
    title: 'Unauthorized',
    status: 401,
  })
}

/** Status, the headers that carry meaning here, and the body. */
function answer(response: ConformanceResponse) {
  const { status, headers, body } = response
  return {
    status,
    headers: {
      'content-type': headers['content-type'],
      'cache-control': headers['cache-control'],
      'www-authenticate': headers['www-authenticate'],
    },
    body,
  }
}

const problem = (scheme: Scheme) => ({
  'content-type': 'application/problem+json',
  'cache-control': 'no-store',
  'www-authenticate': undefined,
  ...scheme.challenge,
})

/**
 * Round trips of signed requests and webhooks through an adapter: each adapter serves
 * `createSigningApp()` (`POST` on the {@link signingPaths}, answered with the handler's `echo`)
 * on a real server, and this suite signs requests as clients do, with a body whose bytes any
 * re-serialization would change. For SigV4, RFC 9421 with `Content-Digest`, Standard Webhooks and
 * Stripe: a valid request (with a `Content-Length`, and chunked) is answered 200 with the parsed
 * body; a body other than the one signed is a 401 with the scheme's reason; the same request
 * again is a 401 `replayed`; no signature at all is a 401 `missing-header`.
 */
export function runSigningSuite(
  adapterName: string,
  start: StartSigningServer,
  options: SigningSuiteOptions = {},
): void {
  describe(`${adapterName} signed requests and webhooks`, () => {
    let server: ListeningServer | undefined
    const url = (path: string) => `${(server as ListeningServer).url}${path}`
    const post = (path: string, headers: HeaderLines, body: string, chunked = false) =>
      sendRequest((server as ListeningServer).url, {
        method: 'POST',
        target: path,
        headers: [['Content-Type', 'application/json'], ...headers],
        body,
        ...(chunked && { chunked, chunkSize: 7 }),
      })

    beforeAll(async () => {
      server = await start()
    }, options.startTimeout ?? 10_000)

    afterAll(async () => {
      await server?.close()
    })

    for (const scheme of schemes()) {
      describe(scheme.name, () => {
        const accepted = {
          status: 200,
          headers: {
            'content-type': 'application/json; charset=utf-8',
            'cache-control': undefined,
            'www-authenticate': undefined,
          },
          body: JSON.stringify({ principal: scheme.principal, body: parsedBody }),
        }

        it('accepts a signed request and hands the handler the body as sent, parsed', async () => {
          const headers = await scheme.sign(url(scheme.path), signedJsonBody)
          expect(answer(await post(scheme.path, headers, signedJsonBody))).toEqual(accepted)
        })

        it('accepts a signed request whose body arrives in chunks', async () => {
          const headers = await scheme.sign(url(scheme.path), signedJsonBody)
          expect(answer(await post(scheme.path, headers, signedJsonBody, true))).toEqual(accepted)
        })

        it(`refuses a body other than the one signed with 401 ${scheme.tampered[0]}`, async () => {
          const headers = await scheme.sign(url(scheme.path), signedJsonBody)
          const tampered = signedJsonBody.replace('1.50', '9.50')
          expect(answer(await post(scheme.path, headers, tampered))).toEqual({
            status: 401,
            headers: problem(scheme),
            body: refusal(...scheme.tampered),
          })
        })

        it('refuses the same signed request sent twice with 401 replayed', async () => {
          const headers = await scheme.sign(url(scheme.path), signedJsonBody)
          expect((await post(scheme.path, headers, signedJsonBody)).status).toBe(200)
          expect(answer(await post(scheme.path, headers, signedJsonBody))).toEqual({
            status: 401,
            headers: problem(scheme),
            body: refusal('replayed', scheme.replayed),
          })
        })

        it('refuses a request without a signature with 401 missing-header', async () => {
          expect(answer(await post(scheme.path, [], signedJsonBody))).toEqual({
            status: 401,
            headers: problem(scheme),
            body: refusal('missing-header', scheme.missing),
          })
        })
      })
    }
  })
}
