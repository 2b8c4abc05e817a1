import { readFileSync } from 'node:fs'
import { signStripePayload } from '@sec/core/webhooks'
import { describe, expect, it } from 'vitest'
import { runSec, usageLines } from '../testing/run-sec.js'
import { webhookVerifyCommand } from './webhook-verify.js'

const vector = JSON.parse(
  readFileSync(
    new URL('../../../../../shared/conformance/vectors/standard-webhooks.json', import.meta.url),
    'utf8',
  ),
) as { secret: string; id: string; timestamp: number; body: string; signature: string }

const usage = (message: string) => usageLines('sec webhook verify', webhookVerifyCommand.usage, message)
const env = { SEC_WEBHOOK_SECRET: vector.secret }
const at = ['--at', String(vector.timestamp)]
const headers = [
  '-H',
  `webhook-id: ${vector.id}`,
  '-H',
  `webhook-timestamp: ${vector.timestamp}`,
  '-H',
  `webhook-signature: ${vector.signature}`,
]
const delivery = `POST /v1/webhooks/notes HTTP/1.1\nHost: api.example.com\nContent-Type: application/json\nwebhook-id: ${vector.id}\nwebhook-timestamp: ${vector.timestamp}\nwebhook-signature: ${vector.signature}\n\n${vector.body}`
const files = { 'event.json': vector.body, 'delivery.http': delivery }

describe('sec webhook verify', () => {
  it('accepts the Standard Webhooks vector given as headers and a payload file', async () => {
    expect(
      await runSec(['webhook', 'verify', ...headers, '--payload-file', 'event.json', ...at], { env, files }),
    ).toMatchObject({
      code: 0,
      stdout: `OK ${vector.id}\n`,
      stderr: '',
    })
  })

  it('accepts it as a saved request, from a file or standard input', async () => {
    expect(
      await runSec(['webhook', 'verify', '--request', 'delivery.http', ...at], { env, files }),
    ).toMatchObject({
      code: 0,
      stdout: `OK ${vector.id}\n`,
    })
    expect(
      await runSec(['webhook', 'verify', '--request', '-', ...at], { env, stdin: delivery }),
    ).toMatchObject({
      code: 0,
      stdout: `OK ${vector.id}\n`,
    })
  })

  it('accepts a delivery signed with any of the secrets listed', async () => {
    const secrets = `whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD ${vector.secret}`
    expect(
      await runSec(['webhook', 'verify', '--request', 'delivery.http', ...at], {
        env: { SEC_WEBHOOK_SECRET: secrets },
        files,
      }),
    ).toMatchObject({ code: 0, stdout: `OK ${vector.id}\n` })
  })

  it.each([
    [
      ['--payload-file', 'tampered.json', ...at],
      'INVALID bad-signature: No v1 signature in webhook-signature matches this payload.\n',
    ],
    [
      ['--payload-file', 'event.json'],
      'INVALID expired: The webhook timestamp is more than 300 seconds old.\n',
    ],
    [
      ['--payload-file', 'event.json', '--at', String(vector.timestamp - 60), '--tolerance', '30s'],
      "INVALID future: The webhook timestamp is more than 30 seconds ahead of the receiver's clock.\n",
    ],
  ])('refuses with exit 1 and the reason: %j', async (flags, stderr) => {
    expect(
      await runSec(['webhook', 'verify', ...headers, ...flags], {
        env,
        files: { ...files, 'tampered.json': '{"test": 1}' },
      }),
    ).toMatchObject({ code: 1, stdout: '', stderr })
  })

  it('refuses a missing header and another secret', async () => {
    expect(
      await runSec(['webhook', 'verify', ...headers.slice(0, 4), '--payload-file', 'event.json', ...at], {
        env,
        files,
      }),
    ).toMatchObject({ code: 1, stderr: 'INVALID missing-header: The webhook-signature header is missing.\n' })
    expect(
      await runSec(['webhook', 'verify', '--request', 'delivery.http', ...at], {
        env: { SEC_WEBHOOK_SECRET: 'whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD' },
        files,
      }),
    ).toMatchObject({
      code: 1,
      stderr: 'INVALID bad-signature: No v1 signature in webhook-signature matches this payload.\n',
    })
  })

  it('refuses a saved request that does not parse with exit 1', async () => {
    expect(
      await runSec(['webhook', 'verify', '--request', 'broken.http', ...at], {
        env,
        files: { 'broken.http': 'POST /\n' },
      }),
    ).toMatchObject({
      code: 1,
      stdout: '',
      stderr:
        'INVALID malformed: the saved request does not parse: line 1 is not a request line (METHOD /path HTTP/1.1)\n',
    })
  })

  it("verifies Stripe's format", async () => {
    const secret = 'whsec_test_5f0c1e3a9b7d'
    const header = await signStripePayload(vector.body, secret, { timestamp: 1_700_000_000 })
    const args = [
      'webhook',
      'verify',
      '--stripe',
      '-H',
      `Stripe-Signature: ${header}`,
      '--payload-file',
      'event.json',
      '--at',
      '1700000000',
    ]
    expect(await runSec(args, { env: { STRIPE_WEBHOOK_SECRET: secret }, files })).toMatchObject({
      code: 0,
      stdout: 'OK t=1700000000\n',
      stderr: '',
    })
    expect(await runSec(args, { env: { STRIPE_WEBHOOK_SECRET: 'whsec_other' }, files })).toMatchObject({
      code: 1,
      stdout: '',
      stderr: 'INVALID bad-signature: No v1 signature in Stripe-Signature matches this payload.\n',
    })
    expect(
      await runSec(['webhook', 'verify', '--stripe', '--request', 'delivery.http', ...at], {
        env: { STRIPE_WEBHOOK_SECRET: secret },
        files,
      }),
    ).toMatchObject({ code: 1, stderr: 'INVALID missing-header: The Stripe-Signature header is missing.\n' })
  })

  it.each([
    [
      ['webhook', 'verify', '--payload-file', 'event.json'],
      "missing the delivery's headers: --header 'Name: value' (repeat) or --request <file>",
    ],
    [
      ['webhook', 'verify', ...headers],
      'missing --payload-file (the raw body as received, or - for standard input)',
    ],
    [
      ['webhook', 'verify', ...headers, '--request', 'delivery.http'],
      'give the headers one way: --header lines or --request <file>, not both',
    ],
    [
      ['webhook', 'verify', '--request', '-', '--payload-file', '-'],
      'only one of --request and --payload-file can be - (standard input)',
    ],
    [
      ['webhook', 'verify', '--request', 'delivery.http', '--tolerance', '2d'],
      '--tolerance must be from 1 second to 1 day; got 172800000 ms. Senders stamp each attempt when they send it, so minutes cover clock skew and network delays.',
    ],
    [['webhook', 'verify', '--request', 'nope.http'], 'cannot read --request nope.http: no such file'],
    [
      ['webhook', 'verify', '-H', 'webhook-id', '--payload-file', 'event.json'],
      "--header must be 'Name: value'",
    ],
  ])('answers 2 to %j', async (argv, message) => {
    expect(await runSec(argv, { env, files })).toMatchObject({ code: 2, stdout: '', stderr: usage(message) })
  })
})
