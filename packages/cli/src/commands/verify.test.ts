import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { sigv4CaseContext, sigv4CaseEnv, sigv4CaseFile, sigv4CaseNames } from '../testing/aws-sigv4-suite.js'
import { testNow } from '../testing/memory-io.js'
import { runSec, usageLines } from '../testing/run-sec.js'
import { verifyCommand } from './verify.js'

const env = { SEC_ACCESS_KEY_ID: 'AKIDCLIENT42', SEC_SECRET_ACCESS_KEY: 'client-secret-0123456789' }
const note = '{"title":"Hello"}'
const usage = (message: string) => usageLines('sec verify', verifyCommand.usage, message)

/** A request signed by `sec sign`, saved as a file. */
async function savedRequest(extra: readonly string[] = [], body = note): Promise<string> {
  const signed = await runSec(
    [
      'sign',
      '--region',
      'eu',
      '--service',
      'notes',
      '--url',
      'https://api.example.com/v1/signed/notes?draft=1',
      '-X',
      'POST',
      '-H',
      'Content-Type: application/json',
      '--body-file',
      'note.json',
      ...extra,
    ],
    { env, files: { 'note.json': note } },
  )
  expect(signed.code).toBe(0)
  return `POST /v1/signed/notes?draft=1 HTTP/1.1\r\nHost: api.example.com\r\nContent-Type: application/json\r\n${signed.stdout.replaceAll('\n', '\r\n')}\r\n${body}`
}

describe('sec verify', () => {
  it('prints OK and the access key id of a valid request', async () => {
    const files = { 'request.http': await savedRequest() }
    expect(await runSec(['verify', 'request.http'], { env, files })).toMatchObject({
      code: 0,
      stdout: 'OK AKIDCLIENT42\n',
      stderr: '',
    })
    expect(
      await runSec(
        ['verify', '--region', 'eu', '--service', 'notes', '--access-key-id', 'AKIDCLIENT42', '-'],
        {
          env: { SEC_SECRET_ACCESS_KEY: env.SEC_SECRET_ACCESS_KEY },
          stdin: files['request.http'],
        },
      ),
    ).toMatchObject({ code: 0, stdout: 'OK AKIDCLIENT42\n', stderr: '' })
  })

  it('accepts any access key id when none is configured, and only the configured one otherwise', async () => {
    const files = { 'request.http': await savedRequest() }
    const secretOnly = { SEC_SECRET_ACCESS_KEY: env.SEC_SECRET_ACCESS_KEY }
    expect(await runSec(['verify', 'request.http'], { env: secretOnly, files })).toMatchObject({
      code: 0,
      stdout: 'OK AKIDCLIENT42\n',
    })
    expect(
      await runSec(['verify', '--access-key-id', 'AKIDOTHER', 'request.http'], { env: secretOnly, files }),
    ).toMatchObject({
      code: 1,
      stdout: '',
      stderr: 'INVALID unknown-key: The access key id is not known.\n',
    })
  })

  it.each([
    [
      'a changed body',
      [],
      { body: '{"title":"Bye"}' },
      'INVALID body-mismatch: The body does not match the signed content hash.\n',
    ],
    [
      'another secret',
      [],
      { secret: 'another-secret' },
      'INVALID bad-signature: The signature does not match the request.\n',
    ],
    [
      'another service',
      ['--service', 'billing'],
      {},
      'INVALID wrong-scope: The credential scope must be <date>/eu/billing/aws4_request, its date that of the request time.\n',
    ],
    [
      'a stale time',
      ['--at', String(testNow / 1000 + 301)],
      {},
      "INVALID expired: The request time is more than 300 seconds from the server's.\n",
    ],
    [
      'another naming',
      ['--prefix', 'X-Sec-'],
      {},
      'INVALID missing-header: The X-Sec-Date header must be present and signed.\n',
    ],
  ] as const)('refuses %s with exit 1 and the reason', async (_, flags, change, stderr) => {
    const body = 'body' in change ? change.body : note
    const files = { 'request.http': await savedRequest([], body) }
    const secret = 'secret' in change ? change.secret : env.SEC_SECRET_ACCESS_KEY
    expect(
      await runSec(['verify', ...flags, 'request.http'], {
        env: { ...env, SEC_SECRET_ACCESS_KEY: secret },
        files,
      }),
    ).toMatchObject({ code: 1, stdout: '', stderr })
  })

  it('widens the window with --clock-skew', async () => {
    const files = { 'request.http': await savedRequest() }
    const later = String(testNow / 1000 + 600)
    expect(await runSec(['verify', '--at', later, 'request.http'], { env, files })).toMatchObject({ code: 1 })
    expect(
      await runSec(['verify', '--at', later, '--clock-skew', '10m', 'request.http'], { env, files }),
    ).toMatchObject({
      code: 0,
      stdout: 'OK AKIDCLIENT42\n',
    })
  })

  it('checks a request signed without a content hash header when told so', async () => {
    const files = { 'request.http': await savedRequest(['--no-content-hash']) }
    expect(await runSec(['verify', 'request.http'], { env, files })).toMatchObject({
      code: 1,
      stderr: 'INVALID missing-header: The x-amz-content-sha256 header must be present and signed.\n',
    })
    expect(await runSec(['verify', '--no-content-hash', 'request.http'], { env, files })).toMatchObject({
      code: 0,
      stdout: 'OK AKIDCLIENT42\n',
    })
  })

  it('refuses a file that is not a request with exit 1, and a missing file with exit 2', async () => {
    expect(
      await runSec(['verify', 'request.http'], { env, files: { 'request.http': 'hello' } }),
    ).toMatchObject({
      code: 1,
      stdout: '',
      stderr:
        'INVALID malformed: the saved request does not parse: line 1 is not a request line (METHOD /path HTTP/1.1)\n',
    })
    expect(await runSec(['verify', 'request.http'], { env })).toMatchObject({
      code: 2,
      stdout: '',
      stderr: usage('cannot read the request file request.http: no such file'),
    })
  })

  it.each([
    [['verify'], 'missing the request file (a path, or - for standard input)'],
    [['verify', 'a.http', 'b.http'], 'takes at most 1 argument besides options (got 2)'],
    [
      ['verify', '--clock-skew', '5 minutes', 'a.http'],
      '--clock-skew must be a duration such as 300, 30s, 5m or 1h (a bare number is seconds)',
    ],
    [
      ['verify', '--clock-skew', '2h', 'a.http'],
      "--clock-skew must be at most '1h': a wider window keeps replays possible for longer.",
    ],
    [
      ['verify', '--secret', 'x', 'a.http'],
      'refusing --secret: a secret given as an argument is saved in your shell history and visible in the process list; use SEC_SECRET_ACCESS_KEY or --secret-file <path>, or add --i-know-this-lands-in-shell-history if you accept that',
    ],
  ])('answers 2 to %j: %s', async (argv, message) => {
    expect(await runSec(argv, { env, files: { 'a.http': await savedRequest() } })).toMatchObject({
      code: 2,
      stdout: '',
      stderr: usage(message),
    })
  })

  it('answers 1 or 2 with one line, never a crash, whatever the file holds', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 200 }),
          fc
            .array(
              fc.constantFrom(
                'POST / HTTP/1.1',
                'Host: a',
                'Authorization: AWS4-HMAC-SHA256 Credential=A/20260115/eu/notes/aws4_request, SignedHeaders=host, Signature=00',
                'X-Amz-Date: 20260115T120000Z',
                '',
                ' x',
                'Content-Length: 2',
                '\r',
                'ሴ',
              ),
              { maxLength: 8 },
            )
            .map((lines) => new TextEncoder().encode(lines.join('\n'))),
        ),
        async (file) => {
          const result = await runSec(['verify', '-'], { env, stdin: file })
          expect([1, 2]).toContain(result.code)
          expect(result.stdout).toBe('')
          expect(result.stderr).toMatch(/^(INVALID [a-z-]+: [^\n]+\n|sec verify: [^\n]+\nUsage: [^\n]+\n)$/)
        },
      ),
      { numRuns: 300 },
    )
  })
})

describe('sec verify --aws on the AWS SigV4 test suite', () => {
  it.each(sigv4CaseNames.flatMap((name) => [[name, 'header'] as const, [name, 'query'] as const]))(
    '%s, signed in the %s',
    async (name, variant) => {
      const context = sigv4CaseContext(name)
      const args = [
        'verify',
        '--aws',
        '--at',
        context.timestamp,
        ...(context.normalize ? [] : ['--no-normalize-path']),
        'request.txt',
      ]
      const file = sigv4CaseFile(name, `${variant}-signed-request.txt`)
      const result = await runSec(args, { env: sigv4CaseEnv(context), files: { 'request.txt': file } })
      if (name === 'post-sts-header-after' && variant === 'query') {
        // The token is added to the query after signing; a verifier cannot tell it from tampering.
        expect(result).toMatchObject({
          code: 1,
          stderr: 'INVALID bad-signature: The signature does not match the request.\n',
        })
      } else expect(result).toMatchObject({ code: 0, stdout: 'OK AKIDEXAMPLE\n', stderr: '' })
    },
  )
})
