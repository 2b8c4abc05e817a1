import { createSigner, createSigV4Verifier, type SigV4VerifierOptions } from '@sec/core/signing'
import { describe, expect, it } from 'vitest'
import type { HeaderLine } from '../args/header-flag.js'
import { parseSavedRequest } from '../http/saved-request.js'
import { securityRequest } from '../http/security-request.js'
import { sigv4CaseContext, sigv4CaseEnv, sigv4CaseFile, sigv4CaseNames } from '../testing/aws-sigv4-suite.js'
import { countingRandom, testNow } from '../testing/memory-io.js'
import { runSec, usageLines } from '../testing/run-sec.js'
import { signCommand } from './sign.js'

const env = { SEC_ACCESS_KEY_ID: 'AKIDCLIENT42', SEC_SECRET_ACCESS_KEY: 'client-secret-0123456789' }
const base = ['sign', '--region', 'eu', '--service', 'notes']
const noteUrl = 'https://api.example.com/v1/signed/notes?draft=1'
const note = '{"title":"Hello"}'

/** `Name: value` lines back into header lines. */
function headerLines(stdout: string): HeaderLine[] {
  return stdout
    .trimEnd()
    .split('\n')
    .map((line) => [line.slice(0, line.indexOf(': ')), line.slice(line.indexOf(': ') + 2)] as const)
}

function verifierOptions(overrides: Partial<SigV4VerifierOptions> = {}): SigV4VerifierOptions {
  return {
    credentials: (id) => (id === env.SEC_ACCESS_KEY_ID ? [env.SEC_SECRET_ACCESS_KEY] : undefined),
    region: 'eu',
    service: 'notes',
    clock: { now: () => testNow },
    ...overrides,
  }
}

const usage = (message: string) => usageLines('sec sign', signCommand.usage, message)

describe('sec sign', () => {
  it('prints the headers the library signer makes, which its verifier accepts', async () => {
    const result = await runSec(
      [
        ...base,
        '--url',
        noteUrl,
        '-X',
        'post',
        '-H',
        'Content-Type: application/json',
        '--body-file',
        'note.json',
      ],
      { env, files: { 'note.json': note } },
    )
    const expected = await createSigner({
      accessKeyId: env.SEC_ACCESS_KEY_ID,
      secretAccessKey: env.SEC_SECRET_ACCESS_KEY,
      region: 'eu',
      service: 'notes',
      clock: { now: () => testNow },
      random: countingRandom(),
    }).sign({ method: 'POST', url: noteUrl, headers: { 'Content-Type': 'application/json' }, body: note })
    expect(result).toMatchObject({
      code: 0,
      stderr: '',
      stdout: Object.entries(expected)
        .map(([name, value]) => `${name}: ${value}\n`)
        .join(''),
    })
    expect(headerLines(result.stdout).map(([name]) => name)).toEqual([
      'X-Amz-Date',
      'X-Amz-Nonce',
      'x-amz-content-sha256',
      'Authorization',
    ])

    const request = securityRequest({
      method: 'POST',
      target: '/v1/signed/notes?draft=1',
      headers: [
        ['Host', 'api.example.com'],
        ['Content-Type', 'application/json'],
        ...headerLines(result.stdout),
      ],
      body: new TextEncoder().encode(note),
    })
    expect(await createSigV4Verifier(verifierOptions()).verify(request)).toMatchObject({
      valid: true,
      accessKeyId: 'AKIDCLIENT42',
      nonce: expect.any(String),
    })
    const tampered = securityRequest({
      method: 'POST',
      target: '/v1/signed/notes?draft=1',
      headers: [
        ['Host', 'api.example.com'],
        ['Content-Type', 'application/json'],
        ...headerLines(result.stdout),
      ],
      body: new TextEncoder().encode('{"title":"Bye"}'),
    })
    expect(await createSigV4Verifier(verifierOptions()).verify(tampered)).toMatchObject({
      valid: false,
      reason: 'body-mismatch',
    })
  })

  it('reads the body from standard input with --body-file -', async () => {
    const fromFile = await runSec([...base, '--url', noteUrl, '--body-file', 'note.json'], {
      env,
      files: { 'note.json': note },
    })
    const fromStdin = await runSec([...base, '--url', noteUrl, '--body-file', '-'], { env, stdin: note })
    expect(fromStdin).toMatchObject({ code: 0, stdout: fromFile.stdout })
  })

  it("signs with the API's own names", async () => {
    const naming = {
      algorithm: 'SEC1-HMAC-SHA256',
      prefix: 'X-Sec-',
      keyPrefix: 'SEC1',
      terminator: 'sec1_request',
    }
    const result = await runSec(
      [
        ...base,
        '--url',
        noteUrl,
        '--algorithm',
        naming.algorithm,
        '--prefix',
        naming.prefix,
        '--key-prefix',
        naming.keyPrefix,
        '--terminator',
        naming.terminator,
      ],
      { env },
    )
    expect(result.code).toBe(0)
    const lines = headerLines(result.stdout)
    expect(lines.map(([name]) => name)).toEqual([
      'X-Sec-Date',
      'X-Sec-Nonce',
      'X-Sec-Content-Sha256',
      'Authorization',
    ])
    expect(lines[3]?.[1]).toMatch(
      /^SEC1-HMAC-SHA256 Credential=AKIDCLIENT42\/20260115\/eu\/notes\/sec1_request, SignedHeaders=host;x-sec-content-sha256;x-sec-date;x-sec-nonce, Signature=[0-9a-f]{64}$/,
    )
    const request = securityRequest({
      method: 'GET',
      target: '/v1/signed/notes?draft=1',
      headers: [['Host', 'api.example.com'], ...lines],
      body: new Uint8Array(),
    })
    expect(await createSigV4Verifier(verifierOptions({ naming })).verify(request)).toMatchObject({
      valid: true,
    })
    expect(await createSigV4Verifier(verifierOptions()).verify(request)).toMatchObject({
      valid: false,
      reason: 'malformed',
    })
  })

  it('prints a curl command that sends exactly what was signed', async () => {
    const args = [
      ...base,
      '--url',
      noteUrl,
      '-X',
      'PUT',
      '-H',
      "X-Note: it's",
      '-H',
      'X-Empty:',
      '--body-file',
      'my note.json',
    ]
    const files = { 'my note.json': note }
    const signed = headerLines((await runSec(args, { env, files })).stdout)
    expect(signed.map(([name]) => name)).toEqual([
      'X-Amz-Date',
      'X-Amz-Nonce',
      'x-amz-content-sha256',
      'Authorization',
    ])
    expect(await runSec([...args, '--curl'], { env, files })).toMatchObject({
      code: 0,
      stderr: '',
      stdout: [
        'curl -X PUT \\',
        `  '${noteUrl}' \\`,
        `  -H 'X-Note: it'\\''s' \\`,
        `  -H 'X-Empty;' \\`,
        ...signed.map(([name, value]) => `  -H '${name}: ${value}' \\`),
        `  --data-binary '@my note.json'\n`,
      ].join('\n'),
    })
  })

  it('inlines a text body from standard input in the curl command, and refuses a binary one', async () => {
    const result = await runSec([...base, '--url', noteUrl, '--body-file', '-', '--curl'], {
      env,
      stdin: note,
    })
    expect(result.code).toBe(0)
    expect(result.stdout.startsWith(`curl -X GET \\\n  '${noteUrl}' \\\n`)).toBe(true)
    expect(result.stdout.endsWith(`  --data-raw '${note}'\n`)).toBe(true)
    expect(
      await runSec([...base, '--url', noteUrl, '--body-file', '-', '--curl'], {
        env,
        stdin: new Uint8Array([0xff, 0]),
      }),
    ).toMatchObject({
      code: 2,
      stdout: '',
      stderr: usage(
        '--curl cannot inline a binary body read from standard input; pass it as --body-file <path>',
      ),
    })
  })

  it('uses --head for HEAD and --globoff for brackets in curl commands', async () => {
    const result = await runSec(
      [...base, '--url', 'https://api.example.com/v1/notes?ids[]=1', '-X', 'HEAD', '--curl'],
      {
        env,
      },
    )
    expect(result.stdout).toMatch(
      /^curl --head \\\n {2}--globoff \\\n {2}'https:\/\/api\.example\.com\/v1\/notes\?ids\[\]=1' \\\n/,
    )
  })

  it('prints a presigned URL that the verifier accepts until it expires', async () => {
    const result = await runSec([...base, '--url', noteUrl, '--presign', '--expires', '5m'], { env })
    expect(result).toMatchObject({ code: 0, stderr: '' })
    const url = new URL(result.stdout.trim())
    expect(url.searchParams.get('X-Amz-Expires')).toBe('300')
    expect(url.searchParams.get('X-Amz-Credential')).toBe('AKIDCLIENT42/20260115/eu/notes/aws4_request')
    const request = securityRequest({
      method: 'GET',
      target: url.pathname + url.search,
      headers: [['Host', 'api.example.com']],
      body: new Uint8Array(),
    })
    expect(await createSigV4Verifier(verifierOptions()).verify(request)).toMatchObject({
      valid: true,
      presigned: true,
    })
    expect(
      await createSigV4Verifier(verifierOptions()).verify(request, { now: testNow + 301_000 }),
    ).toMatchObject({
      valid: false,
      reason: 'expired',
    })
  })

  it('signs as of --at', async () => {
    const result = await runSec([...base, '--url', noteUrl, '--at', '2015-08-30T12:36:00Z'], { env })
    expect(result.stdout).toContain('X-Amz-Date: 20150830T123600Z\n')
  })

  describe('credentials', () => {
    const credentialOf = (stdout: string) => /Credential=([^/]+)\//.exec(stdout)?.[1]

    it('takes the SEC_ variables over the AWS_ ones, never mixing them', async () => {
      const aws = {
        AWS_ACCESS_KEY_ID: 'AKIDAWS',
        AWS_SECRET_ACCESS_KEY: 'aws-secret',
        AWS_SESSION_TOKEN: 'aws-token',
      }
      const both = await runSec([...base, '--url', noteUrl], { env: { ...env, ...aws } })
      expect(credentialOf(both.stdout)).toBe('AKIDCLIENT42')
      expect(both.stdout).not.toContain('Security-Token')

      const awsOnly = await runSec([...base, '--url', noteUrl, '--aws'], { env: aws })
      expect(credentialOf(awsOnly.stdout)).toBe('AKIDAWS')
      expect(headerLines(awsOnly.stdout)[0]).toEqual(['X-Amz-Security-Token', 'aws-token'])

      expect(
        await runSec([...base, '--url', noteUrl], { env: { SEC_ACCESS_KEY_ID: 'AKIDCLIENT42', ...aws } }),
      ).toMatchObject({
        code: 2,
        stdout: '',
        stderr: usage(
          'no secret access key: SEC_ACCESS_KEY_ID is set but SEC_SECRET_ACCESS_KEY is not; set it or pass --secret-file <path>',
        ),
      })
    })

    it('reads the secret from a file, without the session token of the environment', async () => {
      const result = await runSec(
        [...base, '--url', noteUrl, '--access-key-id', 'AKIDFILE', '--secret-file', 'secret.txt'],
        {
          env: { AWS_SESSION_TOKEN: 'unrelated' },
          files: { 'secret.txt': 'client-secret-0123456789\n' },
        },
      )
      expect(result.code).toBe(0)
      expect(credentialOf(result.stdout)).toBe('AKIDFILE')
      expect(result.stdout).not.toContain('Security-Token')
      const fromEnv = await runSec([...base, '--url', noteUrl, '--access-key-id', 'AKIDFILE'], { env })
      expect(result.stdout).toBe(fromEnv.stdout)

      const withToken = await runSec(
        [
          ...base,
          '--url',
          noteUrl,
          '--access-key-id',
          'AKIDFILE',
          '--secret-file',
          'secret.txt',
          '--session-token-file',
          'token.txt',
        ],
        { files: { 'secret.txt': 'client-secret-0123456789\n', 'token.txt': 'tok123\n' } },
      )
      expect(headerLines(withToken.stdout)[0]).toEqual(['X-Amz-Security-Token', 'tok123'])
    })

    it('refuses a secret given as an argument unless the user insists', async () => {
      expect(
        await runSec([
          ...base,
          '--url',
          noteUrl,
          '--access-key-id',
          'AKIDCLIENT42',
          '--secret',
          'client-secret-0123456789',
        ]),
      ).toMatchObject({
        code: 2,
        stdout: '',
        stderr: usage(
          'refusing --secret: a secret given as an argument is saved in your shell history and visible in the process list; use SEC_SECRET_ACCESS_KEY or --secret-file <path>, or add --i-know-this-lands-in-shell-history if you accept that',
        ),
      })
      const insisted = await runSec([
        ...base,
        '--url',
        noteUrl,
        '--access-key-id',
        'AKIDCLIENT42',
        '--secret',
        'client-secret-0123456789',
        '--i-know-this-lands-in-shell-history',
      ])
      expect(insisted).toMatchObject({
        code: 0,
        stdout: (await runSec([...base, '--url', noteUrl], { env })).stdout,
      })
    })

    it('names what is missing', async () => {
      expect(await runSec([...base, '--url', noteUrl])).toMatchObject({
        code: 2,
        stderr: usage(
          'no secret access key: set SEC_SECRET_ACCESS_KEY (or AWS_SECRET_ACCESS_KEY) or pass --secret-file <path>',
        ),
      })
      expect(
        await runSec([...base, '--url', noteUrl], { env: { SEC_SECRET_ACCESS_KEY: 'x' } }),
      ).toMatchObject({
        code: 2,
        stderr: usage(
          'no access key id: set SEC_ACCESS_KEY_ID (or AWS_ACCESS_KEY_ID) or pass --access-key-id <id>',
        ),
      })
      expect(await runSec([...base, '--url', noteUrl, '--secret-file', 'nope.txt'], { env })).toMatchObject({
        code: 2,
        stderr: usage('cannot read --secret-file nope.txt: no such file'),
      })
      expect(
        await runSec([...base, '--url', noteUrl, '--secret-file', 'empty.txt'], {
          env,
          files: { 'empty.txt': ' \n' },
        }),
      ).toMatchObject({
        code: 2,
        stderr: usage('--secret-file empty.txt is empty'),
      })
    })
  })

  it.each([
    [['sign'], 'missing --url'],
    [[...base], 'missing --url'],
    [[...base, '--url', '/v1/notes'], '--url must be an absolute URL, e.g. https://api.example.com/v1/notes'],
    [[...base, '--url', 'ftp://example.com/'], '--url must be an http or https URL'],
    [
      [...base, '--url', 'https://u:p@example.com/'],
      '--url must not carry credentials (user:password@); they would be sent in clear',
    ],
    [[...base, '--url', noteUrl, '--url', noteUrl], '--url is given more than once'],
    [[...base, '--url', noteUrl, '-X', 'GE T'], '--method must be an HTTP method such as GET or POST'],
    [[...base, '--url', noteUrl, '-H', 'nope'], "--header must be 'Name: value'"],
    [[...base, '--url', noteUrl, '--bogus'], 'unknown option --bogus'],
    [[...base, '--url'], '--url needs a value'],
    [
      [...base, '--url', '--curl'],
      "--url needs a value; to pass one that starts with '-', write --url=<value>",
    ],
    [[...base, '--url', noteUrl, '--curl=yes'], '--curl takes no value'],
    [
      [...base, '--url', noteUrl, 'GET'],
      'takes no arguments besides options (got 1); give values with their option, e.g. --method POST',
    ],
    [
      ['sign', '--url', noteUrl, '--service', 'notes'],
      'missing --region (the region of the credential scope, e.g. us-east-1)',
    ],
    [
      ['sign', '--url', noteUrl, '--region', 'eu'],
      'missing --service (the service of the credential scope, e.g. execute-api)',
    ],
    [[...base, '--url', noteUrl, '--expires', '60'], '--expires is for --presign'],
    [[...base, '--url', noteUrl, '--presign', '--expires', '1500ms'], '--expires must be whole seconds'],
    [
      [...base, '--url', noteUrl, '--presign', '--expires', '8d'],
      '--expires must be whole seconds from 1 to 604800 (7 days); got 691200.',
    ],
    [
      [...base, '--url', noteUrl, '--aws', '--prefix', 'X-Sec-'],
      "--aws signs with AWS's names; leave out --prefix",
    ],
    [
      [...base, '--url', noteUrl, '--no-nonce', '--nonce-header', 'X-Id'],
      '--nonce-header names the nonce header, but the nonce is off (--no-nonce, or --aws without --nonce)',
    ],
    [[...base, '--url', noteUrl, '--nonce', '--no-nonce'], '--nonce is given more than once'],
    [
      [...base, '--url', noteUrl, '--at', 'noon'],
      '--at must be Unix seconds or an ISO 8601 time such as 2015-08-30T12:36:00Z',
    ],
    [
      [...base, '--url', noteUrl, '--prefix', 'X Sec'],
      '--prefix Expected 1 to 32 letters, digits or -, e.g. X-Sec-.',
    ],
    [
      ['sign', '--url', noteUrl, '--region', 'eu/west', '--service', 'notes'],
      '--region Expected 1 to 64 letters, digits, -, ., _ or ~ (it is part of the credential scope).',
    ],
    [
      [...base, '--url', noteUrl, '-H', 'Content-Length: 3', '--body-file', 'note.json'],
      '--header Content-Length: 3 does not match the body (17 bytes); leave it out and let the client set it',
    ],
    [
      [...base, '--url', noteUrl, '--body-file', 'missing.json'],
      'cannot read --body-file missing.json: no such file',
    ],
  ])('answers 2 to %j: %s', async (argv, message) => {
    expect(await runSec(argv, { env, files: { 'note.json': note } })).toMatchObject({
      code: 2,
      stdout: '',
      stderr: usage(message),
    })
  })
})

/** A case's request.txt as `sec sign` flags, when the URL keeps its target as written. */
function signArgs(name: string): string[] | undefined {
  const context = sigv4CaseContext(name)
  const parsed = parseSavedRequest(sigv4CaseFile(name, 'request.txt'))
  if (!parsed.ok || context.omit_session_token === true) return undefined
  const { method, target, headers, body } = parsed.request
  const host = headers.find(([header]) => header.toLowerCase() === 'host')?.[1] ?? ''
  const url = new URL(`https://${host}${target}`)
  if (url.pathname + url.search !== target) return undefined
  return [
    'sign',
    '--aws',
    '--url',
    url.href,
    '-X',
    method,
    ...headers.flatMap(([header, value]) => ['-H', `${header}: ${value}`]),
    '--region',
    context.region,
    '--service',
    context.service,
    '--at',
    context.timestamp,
    ...(context.sign_body ? ['--content-hash'] : []),
    ...(context.normalize ? [] : ['--no-normalize-path']),
    ...(body.length > 0 ? ['--body-file', 'body'] : []),
  ]
}

function headLines(bytes: Uint8Array): string[] {
  const text = new TextDecoder().decode(bytes)
  return text.slice(0, text.indexOf('\n\n')).split('\n')
}

const signable = sigv4CaseNames.filter((name) => signArgs(name) !== undefined)

describe('sec sign --aws on the AWS SigV4 test suite', () => {
  // A URL rewrites dot segments, spaces and raw UTF-8 in a target (sec verify reads those cases as
  // written), and post-sts-header-after adds its token after signing, which sec sign does not do.
  it('signs the 25 cases whose target a URL keeps as written', () => {
    expect(signable).toHaveLength(25)
  })

  it.each(signable)('%s: prints the headers of header-signed-request.txt', async (name) => {
    const args = signArgs(name) as string[]
    const request = parseSavedRequest(sigv4CaseFile(name, 'request.txt'))
    const files = { body: request.ok ? request.request.body : new Uint8Array() }
    const result = await runSec(args, { env: sigv4CaseEnv(sigv4CaseContext(name)), files })
    const original = headLines(sigv4CaseFile(name, 'request.txt'))
    const added = headLines(sigv4CaseFile(name, 'header-signed-request.txt')).slice(original.length)
    expect(result).toMatchObject({
      code: 0,
      stderr: '',
      stdout: added
        .map((line) => `${line.slice(0, line.indexOf(':'))}: ${line.slice(line.indexOf(':') + 1)}\n`)
        .join(''),
    })
  })

  it.each(signable)('%s: prints the presigned URL of query-signed-request.txt', async (name) => {
    const context = sigv4CaseContext(name)
    const args = [
      ...(signArgs(name) as string[]),
      '--presign',
      '--expires',
      String(context.expiration_in_seconds),
    ]
    const request = parseSavedRequest(sigv4CaseFile(name, 'request.txt'))
    const files = { body: request.ok ? request.request.body : new Uint8Array() }
    const result = await runSec(args, { env: sigv4CaseEnv(context), files })
    const [requestLine = ''] = headLines(sigv4CaseFile(name, 'query-signed-request.txt'))
    const target = requestLine.slice(requestLine.indexOf(' ') + 1, requestLine.lastIndexOf(' '))
    expect(result).toMatchObject({ code: 0, stderr: '', stdout: `https://example.amazonaws.com${target}\n` })
  })
})
