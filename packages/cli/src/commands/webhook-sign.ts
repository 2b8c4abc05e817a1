import { createWebhookSigner, signStripePayload } from '@sec/core/webhooks'
import { parseFlags } from '../args/parse-flags.js'
import { UsageError, usageError, withFlagNamesAsync } from '../args/usage-error.js'
import type { CliIo, ExitCode } from '../cli-io.js'
import { readInput } from '../files/read-input.js'
import { readWebhookSecrets, webhookSecretFlags, webhookSecretLabels } from '../webhooks/webhook-secrets.js'
import type { Command } from './command.js'

const flags = {
  id: { type: 'string' },
  timestamp: { type: 'string' },
  'payload-file': { type: 'string' },
  stripe: { type: 'boolean' },
  ...webhookSecretFlags,
} as const

function parseTimestamp(text: string | undefined, io: CliIo): number {
  if (text === undefined) return Math.floor(io.now() / 1000)
  if (!/^(?:0|[1-9]\d{0,11})$/.test(text)) usageError('--timestamp must be Unix seconds, e.g. 1614265330')
  return Number(text)
}

/** A fresh message id: `msg_` and 128 random bits, base64url. */
function newMessageId(io: CliIo): string {
  return `msg_${Buffer.from(io.random(new Uint8Array(16))).toString('base64url')}`
}

/** Stripe signs with every secret while one is rolled: one `t`, a `v1` per secret. */
async function stripeHeader(
  payload: Uint8Array,
  secrets: readonly string[],
  timestamp: number,
): Promise<string> {
  const headers = await Promise.all(
    secrets.map((secret) => signStripePayload(payload, secret, { timestamp })),
  )
  const [first = '', ...rest] = headers
  return first + rest.map((header) => header.slice(header.indexOf(','))).join('')
}

async function run(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values } = parseFlags(args, flags)
  const stripe = values.stripe === true
  if (values['payload-file'] === undefined)
    usageError('missing --payload-file (a path, or - for standard input)')
  if (stripe && values.id !== undefined)
    usageError('--id is not part of the Stripe format; leave it out with --stripe')
  const timestamp = parseTimestamp(values.timestamp, io)
  const secrets = await readWebhookSecrets(io, values, stripe)
  const payload = await readInput(io, '--payload-file', values['payload-file'])

  if (stripe) {
    const header = await withFlagNamesAsync(webhookSecretLabels, () =>
      stripeHeader(payload, secrets, timestamp),
    )
    io.stdout.write(`Stripe-Signature: ${header}\n`)
    return 0
  }
  const id = values.id ?? newMessageId(io)
  const headers = await withFlagNamesAsync(webhookSecretLabels, async () => {
    const signer = createWebhookSigner({ secret: secrets })
    try {
      return await signer.sign({ id, timestamp, payload })
    } catch (error) {
      // The library's WebhookInputError: an id a receiver would refuse.
      if ((error as { code?: unknown } | null)?.code === 'SEC_WEBHOOK_INPUT')
        throw new UsageError(
          '--id must be 1 to 256 visible ASCII characters without a dot, e.g. msg_2KWPBgLlAfxdpx2AI54pPJ85f4W',
        )
      throw error
    }
  })
  io.stdout.write(
    `webhook-id: ${headers['webhook-id']}\nwebhook-timestamp: ${headers['webhook-timestamp']}\nwebhook-signature: ${headers['webhook-signature']}\n`,
  )
  return 0
}

/** `sec webhook sign`: the signature headers of a webhook delivery. */
export const webhookSignCommand: Command = {
  kind: 'command',
  usage: 'sec webhook sign --payload-file <path> [--id <id>] [--timestamp <seconds>] [--stripe]',
  help: `Sign a webhook payload: Standard Webhooks (default) or Stripe's format.

Usage: sec webhook sign --payload-file <path> [--id <id>] [--timestamp <seconds>] [--stripe]

Prints the headers to send with the payload, one "Name: value" per line:
webhook-id, webhook-timestamp and webhook-signature (v1,<base64 HMAC-SHA256>), or, with
--stripe, Stripe-Signature (t=<seconds>,v1=<hex HMAC-SHA256>).

Options:
  --payload-file <path>      The payload, exactly as it will be sent, or - for standard input.
                             Required.
  --id <id>                  The message id; keep it for every retry of one event. Default: a new
                             random msg_ id. Not with --stripe.
  --timestamp <seconds>      When this attempt is sent, Unix seconds. Default: now.
  --stripe                   Sign in Stripe's format (Stripe-Signature), to play Stripe in tests.

Secret (never as a plain argument):
  SEC_WEBHOOK_SECRET         The signing secret: whsec_ and base64 (Standard Webhooks), or Stripe's
                             endpoint secret whsec_... (with --stripe, STRIPE_WEBHOOK_SECRET is
                             also read). Several separated by spaces sign with each (rotation).
  --secret-file <path>       Read the secret from a file instead.
  --secret <value> --i-know-this-lands-in-shell-history
                             Give the secret as an argument. Refused without the second flag.
  -h, --help                 Show this help.

Examples:
  export SEC_WEBHOOK_SECRET=$(sec keys generate webhook)
  sec webhook sign --id msg_2KWPBgLlAfxdpx2AI54pPJ85f4W --payload-file event.json
  sec webhook sign --stripe --secret-file stripe-secret.txt --payload-file event.json
`,
  run,
}
