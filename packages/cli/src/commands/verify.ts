import { createSigV4Verifier, parseSigV4Authorization } from '@sec/core/signing'
import { nodeSigningCrypto } from '@sec/node'
import { parseFlags } from '../args/parse-flags.js'
import { parseDurationFlag, parseTimeFlag } from '../args/time-flags.js'
import { usageError, withFlagNames } from '../args/usage-error.js'
import type { CliIo, ExitCode } from '../cli-io.js'
import { readInput } from '../files/read-input.js'
import { parseSavedRequest, type SavedRequest } from '../http/saved-request.js'
import { securityRequest } from '../http/security-request.js'
import { credentialFlags, readCredentials } from '../sigv4/credentials.js'
import { type Scheme, schemeFlags, schemeLabels, schemeOf } from '../sigv4/scheme-flags.js'
import { type Command, refuse } from './command.js'

const flags = {
  ...credentialFlags,
  ...schemeFlags,
  'clock-skew': { type: 'string' },
  'allow-unsigned-payload': { type: 'boolean' },
  at: { type: 'string' },
} as const

const labels = { ...schemeLabels, clockSkew: '--clock-skew' }

interface Scope {
  readonly region: string
  readonly service: string
}

function decoded(text: string): string | undefined {
  try {
    return decodeURIComponent(text)
  } catch {
    return undefined
  }
}

/** The region and service the request's own credential names, from `Authorization` or the presigned query. */
function presentedScope(request: SavedRequest, scheme: Scheme): Scope | undefined {
  const algorithm = scheme.naming?.algorithm ?? 'AWS4-HMAC-SHA256'
  const authorization = request.headers.filter(([name]) => name.toLowerCase() === 'authorization')
  if (authorization.length === 1)
    return parseSigV4Authorization(authorization[0]?.[1] ?? '', algorithm)?.credential
  const q = request.target.indexOf('?')
  const name = `${scheme.naming?.prefix ?? 'X-Amz-'}Credential=`
  const parameter =
    q === -1
      ? undefined
      : request.target
          .slice(q + 1)
          .split('&')
          .find((p) => p.startsWith(name))
  const parts = parameter === undefined ? undefined : decoded(parameter.slice(name.length))?.split('/')
  return parts?.length === 5 ? { region: parts[2] as string, service: parts[3] as string } : undefined
}

/**
 * The signed headers to require. The library's default (host, date, nonce, content hash) holds
 * unless the content hash is off; `--aws` requires only host and the date, as AWS SDK clients sign.
 */
function requiredSignedHeaders(scheme: Scheme): string[] | undefined {
  if (scheme.contentHash) return undefined
  const prefix = scheme.naming?.prefix ?? 'X-Amz-'
  const required = ['host', `${prefix}date`.toLowerCase()]
  if (scheme.nonce !== false) required.push((scheme.nonce.header ?? `${prefix}Nonce`).toLowerCase())
  return required
}

async function run(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseFlags(args, flags, 1)
  const file = positionals[0]
  if (file === undefined) usageError('missing the request file (a path, or - for standard input)')
  const scheme = schemeOf(values)
  const at = values.at === undefined ? undefined : parseTimeFlag('--at', values.at)
  const skew =
    values['clock-skew'] === undefined ? undefined : parseDurationFlag('--clock-skew', values['clock-skew'])
  const credentials = await readCredentials(io, values)
  const bytes = await readInput(io, 'the request file', file)

  const parsed = parseSavedRequest(bytes)
  if (!parsed.ok) return refuse(io, 'malformed', `the saved request does not parse: ${parsed.problem}`)
  const saved = parsed.request
  // Without a readable credential the verifier refuses before it compares the scope; it still
  // needs a region and service to be built, and these can match nothing.
  const scope = presentedScope(saved, scheme)
  const region = values.region ?? scope?.region ?? 'unspecified'
  const service = values.service ?? scope?.service ?? 'unspecified'
  const expectedId = credentials.accessKeyId
  const required = requiredSignedHeaders(scheme)

  const verifier = withFlagNames(labels, () =>
    createSigV4Verifier({
      credentials: (id) =>
        expectedId === undefined || id === expectedId ? [credentials.secret.value] : undefined,
      region,
      service,
      ...(scheme.naming !== undefined && { naming: scheme.naming }),
      nonce: scheme.nonce,
      ...(required !== undefined && { requiredSignedHeaders: required }),
      ...(skew !== undefined && { clockSkew: skew }),
      allowUnsignedPayload: values['allow-unsigned-payload'] === true,
      normalizePath: scheme.normalizePath,
      doubleEncodePath: scheme.doubleEncodePath,
      crypto: nodeSigningCrypto,
    }),
  )
  const result = await verifier.verify(securityRequest(saved), {
    now: at ?? io.now(),
    body: async () => saved.body,
  })
  if (!result.valid) return refuse(io, result.reason, String(result.problem.detail ?? result.problem.title))
  io.stdout.write(`OK ${result.accessKeyId}\n`)
  return 0
}

/** `sec verify`: checks a saved SigV4-signed request. */
export const verifyCommand: Command = {
  kind: 'command',
  usage: 'sec verify [options] <request-file>',
  help: `Verify a saved SigV4-signed request.

Usage: sec verify [options] <request-file>

The file holds the request as sent: the request line (POST /v1/notes HTTP/1.1), the header
lines, an empty line and the body (LF or CRLF line endings; with a Content-Length header, a
newline after the body is ignored). - reads it from standard input.

Prints "OK <access key id>" and exits 0 when the signature holds; otherwise prints
"INVALID <reason>: <detail>" on standard error and exits 1. Reasons: missing-header, malformed,
wrong-scope, expired, unknown-key, bad-signature, body-mismatch.

Credentials (never as plain arguments):
  SEC_SECRET_ACCESS_KEY      The secret to check with, from the environment (AWS_SECRET_ACCESS_KEY
                             when no SEC_ variable is set).
  --secret-file <path>       Read the secret from a file instead.
  --secret <value> --i-know-this-lands-in-shell-history
                             Give the secret as an argument. Refused without the second flag.
  --access-key-id <id>       Accept only this access key id. Default: SEC_ACCESS_KEY_ID (or
                             AWS_ACCESS_KEY_ID) when set, otherwise any id.

Scheme (must match the signer's):
  --region <region>          The region the scope must name. Default: the request's own.
  --service <service>        The service the scope must name. Default: the request's own.
  --aws                      Requests signed as the AWS SDKs do: no nonce, and only host and the
                             date must be signed.
  --algorithm, --prefix, --key-prefix, --terminator, --nonce-header
                             The names, as for sec sign. Default: AWS's.
  --no-nonce                 Do not require a signed nonce. Default: required, unless --aws.
  --no-content-hash          Do not require a signed content hash header (a body is still checked
                             against one when signed). Default: required, unless --aws.
  --allow-unsigned-payload   Accept UNSIGNED-PAYLOAD.
  --no-normalize-path        The path was signed without normalizing (S3).
  --no-double-encode-path    The path was escaped once (S3).

Time:
  --at <time>                Check as of this time (Unix seconds or ISO 8601), e.g. when the request
                             was saved. Default: now.
  --clock-skew <duration>    How far the request time may be from --at: seconds, or 30s, 5m, 1h (at
                             most). Default: 5m.
  -h, --help                 Show this help.

Examples:
  sec verify request.http
  sec verify --aws --at 2015-08-30T12:36:00Z --secret-file secret.txt request.txt
`,
  run,
}
