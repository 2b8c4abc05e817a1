import { createSigner, type SignableRequest } from '@sec/core/signing'
import { nodeSigningCrypto } from '@sec/node'
import { type HeaderLine, parseHeaderFlag } from '../args/header-flag.js'
import { parseFlags } from '../args/parse-flags.js'
import { parseDurationFlag, parseTimeFlag } from '../args/time-flags.js'
import { usageError, withFlagNames, withFlagNamesAsync } from '../args/usage-error.js'
import type { CliIo, ExitCode } from '../cli-io.js'
import { readInput } from '../files/read-input.js'
import { type CurlBody, curlCommand } from '../output/curl-command.js'
import { readSecret } from '../secrets/read-secret.js'
import { credentialFlags, readCredentials } from '../sigv4/credentials.js'
import { schemeFlags, schemeLabels, schemeOf } from '../sigv4/scheme-flags.js'
import type { Command } from './command.js'

const flags = {
  url: { type: 'string' },
  method: { type: 'string', short: 'X' },
  header: { type: 'string', short: 'H', multiple: true },
  'body-file': { type: 'string' },
  ...credentialFlags,
  'session-token-file': { type: 'string' },
  ...schemeFlags,
  'unsigned-payload': { type: 'boolean' },
  presign: { type: 'boolean' },
  expires: { type: 'string' },
  curl: { type: 'boolean' },
  at: { type: 'string' },
} as const

const methodToken = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/
const utf8 = new TextDecoder('utf-8', { fatal: true })

const labels = {
  ...schemeLabels,
  accessKeyId: 'the access key id',
  secretAccessKey: 'the secret access key',
  sessionToken: 'the session token',
  expiresIn: '--expires',
}

function parseUrl(text: string | undefined): URL {
  if (text === undefined) usageError('missing --url')
  let url: URL
  try {
    url = new URL(text)
  } catch {
    return usageError('--url must be an absolute URL, e.g. https://api.example.com/v1/notes')
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') usageError('--url must be an http or https URL')
  if (url.username !== '' || url.password !== '')
    usageError('--url must not carry credentials (user:password@); they would be sent in clear')
  return url
}

function checkContentLength(headers: readonly HeaderLine[], body: Uint8Array | undefined): void {
  for (const [name, value] of headers)
    if (name.toLowerCase() === 'content-length' && value !== String(body?.byteLength ?? 0))
      usageError(
        `--header Content-Length: ${value} does not match the body (${body?.byteLength ?? 0} bytes); leave it out and let the client set it`,
      )
}

/** The body as curl should send it: the same file, or the text read from standard input. */
function curlBody(path: string | undefined, body: Uint8Array | undefined): CurlBody {
  if (path === undefined || body === undefined) return undefined
  if (path !== '-') return { file: path }
  let text: string
  try {
    text = utf8.decode(body)
  } catch {
    return usageError(
      '--curl cannot inline a binary body read from standard input; pass it as --body-file <path>',
    )
  }
  if (text.includes('\0'))
    usageError('--curl cannot inline a body with NUL bytes; pass it as --body-file <path>')
  return { text }
}

async function run(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values } = parseFlags(args, flags)
  const url = parseUrl(values.url)
  const method = (values.method ?? 'GET').toUpperCase()
  if (!methodToken.test(method)) usageError('--method must be an HTTP method such as GET or POST')
  const headers = (values.header ?? []).map((text) => parseHeaderFlag(text))
  if (values.region === undefined)
    usageError('missing --region (the region of the credential scope, e.g. us-east-1)')
  if (values.service === undefined)
    usageError('missing --service (the service of the credential scope, e.g. execute-api)')
  if (values.expires !== undefined && values.presign !== true) usageError('--expires is for --presign')
  const scheme = schemeOf(values)
  const at = values.at === undefined ? undefined : parseTimeFlag('--at', values.at)
  let expiresIn: number | undefined
  if (values.expires !== undefined) {
    const ms = parseDurationFlag('--expires', values.expires)
    if (ms % 1000 !== 0) usageError('--expires must be whole seconds')
    expiresIn = ms / 1000
  }

  const credentials = await readCredentials(io, values)
  if (credentials.accessKeyId === undefined)
    usageError('no access key id: set SEC_ACCESS_KEY_ID (or AWS_ACCESS_KEY_ID) or pass --access-key-id <id>')
  const tokenFile = await readSecret(io, {
    what: 'the session token',
    fileFlag: 'session-token-file',
    file: values['session-token-file'],
    env: [],
  })
  const sessionToken = tokenFile?.value ?? credentials.sessionToken
  const bodyPath = values['body-file']
  const body = bodyPath === undefined ? undefined : await readInput(io, '--body-file', bodyPath)
  checkContentLength(headers, body)

  const signer = withFlagNames(labels, () =>
    createSigner({
      accessKeyId: credentials.accessKeyId as string,
      secretAccessKey: credentials.secret.value,
      ...(sessionToken !== undefined && { sessionToken }),
      region: values.region as string,
      service: values.service as string,
      ...(scheme.naming !== undefined && { naming: scheme.naming }),
      nonce: scheme.nonce === false ? false : scheme.nonce.header === undefined ? true : scheme.nonce,
      contentHash: scheme.contentHash,
      unsignedPayload: values['unsigned-payload'] === true,
      normalizePath: scheme.normalizePath,
      doubleEncodePath: scheme.doubleEncodePath,
      crypto: nodeSigningCrypto,
      clock: { now: () => at ?? io.now() },
      random: (bytes) => io.random(bytes),
    }),
  )
  const request: SignableRequest = { method, url, headers, body: body ?? null }
  const plainUrl = `${url.origin}${url.pathname}${url.search}`

  if (values.presign === true) {
    const presigned = await withFlagNamesAsync(labels, () =>
      signer.presign(request, expiresIn === undefined ? undefined : { expiresIn }),
    )
    io.stdout.write(
      values.curl === true
        ? curlCommand({ method, url: presigned, headers, body: curlBody(bodyPath, body) })
        : `${presigned}\n`,
    )
    return 0
  }
  const added = Object.entries(await signer.sign(request))
  io.stdout.write(
    values.curl === true
      ? curlCommand({
          method,
          url: plainUrl,
          headers: [...headers, ...added],
          body: curlBody(bodyPath, body),
        })
      : added.map(([name, value]) => `${name}: ${value}\n`).join(''),
  )
  return 0
}

/** `sec sign`: the SigV4 headers, a curl command or a presigned URL for one request. */
export const signCommand: Command = {
  kind: 'command',
  usage: 'sec sign --url <url> --region <region> --service <service> [options]',
  help: `Sign an HTTP request with SigV4 (AWS Signature Version 4, or your API's own names).

Usage: sec sign --url <url> --region <region> --service <service> [options]

Prints the headers to add to the request, one "Name: value" per line (the date, the nonce, the
content hash, the session token when there is one, and Authorization), or a curl command (--curl),
or a presigned URL (--presign). Send the request exactly as signed: same method, URL, signed
headers and body bytes.

Request:
  --url <url>                The absolute http(s) URL, query included. Required.
  -X, --method <method>      The method. Default: GET.
  -H, --header <'Name: value'>
                             A header to send and sign; repeat for more. Host is signed from the
                             URL unless given.
  --body-file <path>         The body, read from a file, or - for standard input. Default: none.

Credentials (never as plain arguments):
  SEC_ACCESS_KEY_ID, SEC_SECRET_ACCESS_KEY, SEC_SESSION_TOKEN
                             Read from the environment; the AWS_ names (AWS_ACCESS_KEY_ID,
                             AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN) when no SEC_ one is set.
                             The two sets are never mixed.
  --access-key-id <id>       The access key id (not a secret). Default: from the environment.
  --secret-file <path>       Read the secret access key from a file instead.
  --session-token-file <path>
                             Read the session token from a file. Default: the token variable of
                             the set the secret came from; none with --secret-file.
  --secret <value> --i-know-this-lands-in-shell-history
                             Give the secret as an argument, accepting that it lands in your shell
                             history and the process list. Refused without the second flag.

Scheme (must match the server's):
  --region <region>          The region of the credential scope, e.g. us-east-1 or eu. Required.
  --service <service>        The service of the credential scope, e.g. execute-api or notes. Required.
  --aws                      Sign as the AWS SDKs do for AWS services: no nonce and no content hash
                             header (add --content-hash for S3). Default: the @sec defaults, a
                             signed X-Amz-Nonce and x-amz-content-sha256, as the sigv4 guard wants.
  --algorithm <label>        The algorithm label. Default: AWS4-HMAC-SHA256.
  --prefix <prefix>          The header and query prefix. Default: X-Amz-.
  --key-prefix <prefix>      Prepended to the secret to derive the key. Default: AWS4.
  --terminator <name>        The last element of the credential scope. Default: aws4_request.
  --nonce-header <name>      The nonce header. Default: <prefix>Nonce.
  --no-nonce, --nonce        Leave out (or send) the signed random nonce. Default: sent, unless --aws.
  --no-content-hash, --content-hash
                             Leave out (or send) the signed SHA-256 of the body. Default: sent,
                             unless --aws.
  --unsigned-payload         Sign UNSIGNED-PAYLOAD instead of the body's hash.
  --no-normalize-path        Do not remove . and .. segments before signing (S3).
  --no-double-encode-path    Do not escape the path a second time (S3).

Output:
  --curl                     Print a curl command that sends the signed request.
  --presign                  Print a presigned URL (the signature in the query) instead of headers.
  --expires <duration>       How long the presigned URL is valid: seconds, or 30s, 15m, 1h, 7d (at
                             most). Default: 900 (15 minutes).
  --at <time>                Sign as of this time (Unix seconds or ISO 8601). Default: now.
  -h, --help                 Show this help.

Examples:
  export SEC_ACCESS_KEY_ID=AKID7Q2LK9XB SEC_SECRET_ACCESS_KEY=...   # or use --secret-file
  sec sign --url https://api.example.com/v1/signed/notes -X POST --region eu --service notes \\
    -H 'Content-Type: application/json' --body-file note.json --curl | sh
  sec sign --aws --url 'https://execute-api.us-east-1.amazonaws.com/prod/items' \\
    --region us-east-1 --service execute-api
  sec sign --url https://api.example.com/v1/files/report.pdf --region eu --service notes \\
    --presign --expires 15m
`,
  run,
}
