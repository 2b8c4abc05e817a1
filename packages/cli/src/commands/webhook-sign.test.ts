import { readFileSync } from 'node:fs'
import { signStripePayload, verifyStripeSignature, verifyWebhook } from '@sec/core/webhooks'
import { describe, expect, it } from 'vitest'
import { countingRandom } from '../testing/memory-io.js'
import { runSec, usageLines } from '../testing/run-sec.js'
import { webhookSignCommand } from './webhook-sign.js'

/** The Standard Webhooks known-answer vector, read in place from the shared conformance folder. */
const vector = JSON.parse(
  readFileSync(
    new URL('../../../../../shared/conformance/vectors/standard-webhooks.json', import.meta.url),
    'utf8',
  ),
) as { secret: string; id: string; timestamp: number; body: string; signature: string }

const usage = (message: string) => usageLines('sec webhook sign', webhookSignCommand.usage, message)
const stripeSecret = 'whsec_test_5f0c1e3a9b7d'
const files = { 'event.json': vector.body }

describe('sec webhook sign', () => {
  it('reproduces the Standard Webhooks vector', async () => {
    const result = await runSec(
      [
        'webhook',
        'sign',
        '--id',
        vector.id,
        '--timestamp',
        String(vector.timestamp),
        '--payload-file',
        'event.json',
      ],
      { env: { SEC_WEBHOOK_SECRET: vector.secret }, files },
    )
    expect(result).toMatchObject({
      code: 0,
      stderr: '',
      stdout: `webhook-id: ${vector.id}\nwebhook-timestamp: ${vector.timestamp}\nwebhook-signature: ${vector.signature}\n`,
    })
  })

  it('makes an id and a timestamp when not given, which the library verifier accepts', async () => {
    const now = Date.UTC(2026, 0, 15, 12)
    const result = await runSec(['webhook', 'sign', '--payload-file', '-'], {
      env: { SEC_WEBHOOK_SECRET: vector.secret },
      stdin: vector.body,
      now,
    })
    const id = `msg_${Buffer.from(countingRandom()(new Uint8Array(16))).toString('base64url')}`
    expect(result.stdout).toMatch(
      new RegExp(
        `^webhook-id: ${id}\nwebhook-timestamp: 1768478400\nwebhook-signature: v1,[A-Za-z0-9+/]{43}=\n$`,
      ),
    )
    const headers = Object.fromEntries(
      result.stdout
        .trim()
        .split('\n')
        .map((line) => line.split(': ')),
    )
    expect(
      await verifyWebhook(
        { headers, payload: vector.body },
        { secrets: [vector.secret], clock: { now: () => now } },
      ),
    ).toEqual({
      id,
      timestamp: 1_768_478_400,
      secretIndex: 0,
    })
  })

  it('signs with every secret listed, for a rotation', async () => {
    const other = 'whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD'
    const result = await runSec(
      [
        'webhook',
        'sign',
        '--id',
        vector.id,
        '--timestamp',
        String(vector.timestamp),
        '--payload-file',
        'event.json',
        '--secret-file',
        'secrets',
      ],
      { files: { ...files, secrets: `${other}\n${vector.secret}\n` } },
    )
    expect(result.stdout).toMatch(
      new RegExp(
        `^webhook-id: .+\nwebhook-timestamp: .+\nwebhook-signature: v1,\\S+ ${vector.signature.replace(/[+/]/g, '\\$&')}\n$`,
      ),
    )
  })

  it("signs in Stripe's format", async () => {
    const result = await runSec(
      ['webhook', 'sign', '--stripe', '--timestamp', '1700000000', '--payload-file', 'event.json'],
      {
        env: { STRIPE_WEBHOOK_SECRET: stripeSecret },
        files,
      },
    )
    const header = await signStripePayload(vector.body, stripeSecret, { timestamp: 1_700_000_000 })
    expect(result).toMatchObject({ code: 0, stderr: '', stdout: `Stripe-Signature: ${header}\n` })
    expect(
      await verifyStripeSignature(vector.body, header, stripeSecret, {
        clock: { now: () => 1_700_000_000_000 },
      }),
    ).toEqual({ timestamp: 1_700_000_000, secretIndex: 0 })

    const rolled = await runSec(
      ['webhook', 'sign', '--stripe', '--timestamp', '1700000000', '--payload-file', 'event.json'],
      {
        env: { SEC_WEBHOOK_SECRET: `whsec_old ${stripeSecret}` },
        files,
      },
    )
    const old = await signStripePayload(vector.body, 'whsec_old', { timestamp: 1_700_000_000 })
    expect(rolled.stdout).toBe(`Stripe-Signature: ${old},${header.slice(header.indexOf('v1='))}\n`)
  })

  it('takes the secret as an argument only when the user insists', async () => {
    const args = [
      'webhook',
      'sign',
      '--id',
      vector.id,
      '--timestamp',
      String(vector.timestamp),
      '--payload-file',
      'event.json',
      '--secret',
      vector.secret,
    ]
    expect(await runSec(args, { files })).toMatchObject({
      code: 2,
      stdout: '',
      stderr: usage(
        'refusing --secret: a secret given as an argument is saved in your shell history and visible in the process list; use SEC_WEBHOOK_SECRET or --secret-file <path>, or add --i-know-this-lands-in-shell-history if you accept that',
      ),
    })
    expect(await runSec([...args, '--i-know-this-lands-in-shell-history'], { files })).toMatchObject({
      code: 0,
      stdout: expect.stringContaining(`webhook-signature: ${vector.signature}\n`),
    })
  })

  it.each([
    [['webhook', 'sign'], {}, 'missing --payload-file (a path, or - for standard input)'],
    [
      ['webhook', 'sign', '--payload-file', 'event.json'],
      { env: {} },
      'no webhook secret: set SEC_WEBHOOK_SECRET or pass --secret-file <path>',
    ],
    [
      ['webhook', 'sign', '--stripe', '--payload-file', 'event.json'],
      { env: {} },
      'no webhook secret: set SEC_WEBHOOK_SECRET or STRIPE_WEBHOOK_SECRET or pass --secret-file <path>',
    ],
    [
      ['webhook', 'sign', '--payload-file', 'event.json', '--id', 'msg.1'],
      {},
      '--id must be 1 to 256 visible ASCII characters without a dot, e.g. msg_2KWPBgLlAfxdpx2AI54pPJ85f4W',
    ],
    [
      ['webhook', 'sign', '--payload-file', 'event.json', '--timestamp', '-5'],
      {},
      "--timestamp needs a value; to pass one that starts with '-', write --timestamp=<value>",
    ],
    [
      ['webhook', 'sign', '--payload-file', 'event.json', '--timestamp', '0123'],
      {},
      '--timestamp must be Unix seconds, e.g. 1614265330',
    ],
    [
      ['webhook', 'sign', '--stripe', '--id', 'msg_1', '--payload-file', 'event.json'],
      {},
      '--id is not part of the Stripe format; leave it out with --stripe',
    ],
    [
      ['webhook', 'sign', '--payload-file', 'event.json'],
      { env: { SEC_WEBHOOK_SECRET: 'not-a-secret' } },
      "the webhook secret must start with 'whsec_' followed by the key in base64, as the sender shows it; pass the key bytes as a Uint8Array instead if you have them raw.",
    ],
    [
      ['webhook', 'sign', '--payload-file', 'event.json'],
      { env: { SEC_WEBHOOK_SECRET: 'whsec_AAAA' } },
      'the webhook secret is a 3-byte key; Standard Webhooks keys have at least 24 bytes. Generate one with generateWebhookSecret().',
    ],
    [
      ['webhook', 'sign', '--payload-file', 'missing.json'],
      {},
      'cannot read --payload-file missing.json: no such file',
    ],
  ] as const)('answers 2 to %j', async (argv, options, message) => {
    expect(
      await runSec(argv, { env: { SEC_WEBHOOK_SECRET: vector.secret }, files, ...options }),
    ).toMatchObject({
      code: 2,
      stdout: '',
      stderr: usage(message),
    })
  })
})
