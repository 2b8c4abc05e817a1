import {
  createStripeWebhookVerifier,
  createWebhookVerifier,
  WebhookVerificationError,
} from '@sec/core/webhooks'
import { type HeaderLine, parseHeaderFlag } from '../args/header-flag.js'
import { parseFlags } from '../args/parse-flags.js'
import { parseDurationFlag, parseTimeFlag } from '../args/time-flags.js'
import { usageError, withFlagNames } from '../args/usage-error.js'
import type { CliIo, ExitCode } from '../cli-io.js'
import { readInput } from '../files/read-input.js'
import { parseSavedRequest } from '../http/saved-request.js'
import { headerFields } from '../http/security-request.js'
import { readWebhookSecrets, webhookSecretFlags, webhookSecretLabels } from '../webhooks/webhook-secrets.js'
import { type Command, refuse } from './command.js'

const flags = {
  header: { type: 'string', short: 'H', multiple: true },
  request: { type: 'string' },
  'payload-file': { type: 'string' },
  stripe: { type: 'boolean' },
  tolerance: { type: 'string' },
  at: { type: 'string' },
  ...webhookSecretFlags,
} as const

interface Delivery {
  readonly headers: readonly HeaderLine[]
  readonly payload: Uint8Array
}

type DeliveryFlags = {
  readonly header?: readonly string[] | undefined
  readonly request?: string | undefined
  readonly 'payload-file'?: string | undefined
}

/** The delivery's headers and payload, from `--header` lines and `--payload-file`, or a saved request. */
async function readDelivery(io: CliIo, values: DeliveryFlags): Promise<Delivery | string> {
  const { request, header } = values
  const payloadFile = values['payload-file']
  if (request !== undefined && header !== undefined)
    usageError('give the headers one way: --header lines or --request <file>, not both')
  if (request === undefined && header === undefined)
    usageError("missing the delivery's headers: --header 'Name: value' (repeat) or --request <file>")
  if (request === '-' && payloadFile === '-')
    usageError('only one of --request and --payload-file can be - (standard input)')
  if (request === undefined) {
    const headers = (header ?? []).map((text) => parseHeaderFlag(text))
    if (payloadFile === undefined)
      usageError('missing --payload-file (the raw body as received, or - for standard input)')
    return { headers, payload: await readInput(io, '--payload-file', payloadFile) }
  }
  const parsed = parseSavedRequest(await readInput(io, '--request', request))
  if (!parsed.ok) return parsed.problem
  return {
    headers: parsed.request.headers,
    payload:
      payloadFile === undefined ? parsed.request.body : await readInput(io, '--payload-file', payloadFile),
  }
}

async function run(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values } = parseFlags(args, flags)
  const stripe = values.stripe === true
  const at = values.at === undefined ? undefined : parseTimeFlag('--at', values.at)
  const tolerance =
    values.tolerance === undefined ? undefined : parseDurationFlag('--tolerance', values.tolerance)
  const secrets = await readWebhookSecrets(io, values, stripe)
  const options = {
    secrets,
    ...(tolerance !== undefined && { tolerance }),
    clock: { now: () => at ?? io.now() },
  }
  const verify = stripe
    ? withFlagNames(webhookSecretLabels, () => {
        const verifier = createStripeWebhookVerifier(options)
        return async (delivery: Delivery) => {
          const verified = await verifier.verify(
            delivery.payload,
            headerFields(delivery.headers).getAll('stripe-signature'),
          )
          return `t=${verified.timestamp}`
        }
      })
    : withFlagNames(webhookSecretLabels, () => {
        const verifier = createWebhookVerifier(options)
        return async (delivery: Delivery) =>
          (await verifier.verify({ headers: headerFields(delivery.headers), payload: delivery.payload })).id
      })

  const delivery = await readDelivery(io, values)
  if (typeof delivery === 'string')
    return refuse(io, 'malformed', `the saved request does not parse: ${delivery}`)
  try {
    io.stdout.write(`OK ${await verify(delivery)}\n`)
    return 0
  } catch (error) {
    if (!(error instanceof WebhookVerificationError)) throw error
    return refuse(io, error.reason, String(error.problem.detail ?? error.problem.title))
  }
}

/** `sec webhook verify`: checks a webhook delivery's signature. */
export const webhookVerifyCommand: Command = {
  kind: 'command',
  usage: "sec webhook verify --header 'Name: value'... --payload-file <path> [options]",
  help: `Verify a webhook delivery: Standard Webhooks (default) or Stripe's format.

Usage: sec webhook verify --header 'Name: value'... --payload-file <path> [options]
       sec webhook verify --request <file> [options]

Prints "OK <webhook-id>" (Stripe: "OK t=<timestamp>") and exits 0 when a signature matches;
otherwise prints "INVALID <reason>: <detail>" on standard error and exits 1. Reasons:
missing-header, malformed, expired, future, bad-signature.

Delivery:
  -H, --header <'Name: value'>
                             A header of the delivery (webhook-id, webhook-timestamp,
                             webhook-signature, or Stripe-Signature); repeat for more.
  --payload-file <path>      The raw body exactly as received, or - for standard input. Required
                             with --header; with --request, replaces the saved body.
  --request <file>           A saved request (request line, headers, empty line, body) to take the
                             headers and the body from, or - for standard input.
  --stripe                   Check Stripe's Stripe-Signature header instead.

Checks:
  --tolerance <duration>     How far the timestamp may be from --at, either way: seconds, or 30s,
                             5m, 1h, up to 1d. Default: 5m.
  --at <time>                Check as of this time (Unix seconds or ISO 8601). Default: now.

Secret (never as a plain argument):
  SEC_WEBHOOK_SECRET         The signing secret (with --stripe, STRIPE_WEBHOOK_SECRET is also read).
                             Several separated by spaces: any one may match (rotation).
  --secret-file <path>       Read the secret from a file instead.
  --secret <value> --i-know-this-lands-in-shell-history
                             Give the secret as an argument. Refused without the second flag.
  -h, --help                 Show this help.

Examples:
  sec webhook verify --request delivery.http
  sec webhook verify -H 'webhook-id: msg_p5jXN8AQM9LWM0D4loKWxJek' -H 'webhook-timestamp: 1614265330' \\
    -H 'webhook-signature: v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=' --payload-file body.json
`,
  run,
}
