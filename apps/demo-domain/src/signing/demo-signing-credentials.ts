import type { SigV4ClientCredentials, SigV4Naming } from '@sec/core'
import type { NotesScope } from '../schemas/index.js'

/**
 * The demo's own SigV4 names, so its signed requests can never be mistaken for AWS ones (and an
 * AWS credential signs nothing here): `Authorization: SEC1-HMAC-SHA256 Credential=…`, the headers
 * `X-Sec-Date`, `X-Sec-Nonce` and `X-Sec-Content-Sha256`, the key derivation from `SEC1<secret>`
 * and the scope terminator `sec1_request`.
 */
export const demoSigV4Naming = {
  algorithm: 'SEC1-HMAC-SHA256',
  prefix: 'X-Sec-',
  keyPrefix: 'SEC1',
  terminator: 'sec1_request',
} as const satisfies SigV4Naming

/** The credential scope every signed request names: `<date>/local/notes/sec1_request`. */
export const demoSigV4Scope = { region: 'local', service: 'notes' } as const

/** A machine client that signs its requests to `POST /v1/signed/notes`. */
export interface DemoMachineClient {
  /** The access key id, sent in the clear in the credential scope. */
  readonly accessKeyId: string
  /** The secret access key. Development only: it is in this file and in the READMEs. */
  readonly secretAccessKey: string
  /** The user the client acts for: the owner of the notes it creates. */
  readonly owner: string
  /** What it may do, within what its owner may do. */
  readonly scopes: readonly NotesScope[]
}

/**
 * The machine clients every demo knows. Development only: their secrets are in the source and in
 * the READMEs, and the same for every run.
 */
export const demoMachineClients: readonly DemoMachineClient[] = [
  {
    accessKeyId: 'notes-importer',
    secretAccessKey: 'dev-only-importer-secret-4f9c2e7a1b6d',
    owner: 'alice',
    scopes: ['notes:write'],
  },
]

/**
 * The Standard Webhooks secret of `POST /v1/webhooks/notes`: `whsec_` and 32 bytes in base64 (they
 * spell `dev-only: notes demo webhook key`). Development only, like the clients above.
 */
export const demoWebhookSecret = 'whsec_ZGV2LW9ubHk6IG5vdGVzIGRlbW8gd2ViaG9vayBrZXk='

/**
 * Who owns the notes that webhook deliveries create: `admin`, whose inbox the integration posts
 * into. Sign in as `admin` to list them.
 */
export const webhookNoteOwner = 'admin'

/**
 * How far `webhook-timestamp` and `X-Sec-Date` may be from the server's clock, either way: 5
 * minutes, the default of both guards, in ms.
 */
export const signatureTolerance = 300_000

/** How long a processed `webhook-id` is remembered, so a late retry creates nothing: 3 days, in ms. */
export const deliveryIdLifetime = 3 * 86_400_000

/** The credential lookup of the `sigv4` guard: the secrets, owner and scopes of an access key id. */
export function demoClientCredentials(accessKeyId: string): SigV4ClientCredentials | undefined {
  const client = demoMachineClients.find((candidate) => candidate.accessKeyId === accessKeyId)
  if (client === undefined) return undefined
  return { secrets: [client.secretAccessKey], owner: client.owner, scopes: client.scopes }
}
