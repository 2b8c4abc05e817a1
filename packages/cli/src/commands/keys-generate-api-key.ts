import { createApiKeyHasher, formatApiKey, generateApiKeyId, parseApiKey } from '@sec/core/apikeys'
import { parseFlags } from '../args/parse-flags.js'
import { usageError } from '../args/usage-error.js'
import type { CliIo, ExitCode } from '../cli-io.js'
import { emitSecret } from '../keys/emit-secret.js'
import { readSecret } from '../secrets/read-secret.js'
import type { Command } from './command.js'

const flags = {
  env: { type: 'string' },
  kind: { type: 'string' },
  hash: { type: 'boolean' },
  'pepper-file': { type: 'string' },
  pepper: { type: 'string' },
  'i-know-this-lands-in-shell-history': { type: 'boolean' },
  out: { type: 'string' },
} as const

// createApiKeys refuses shorter peppers; a digest made with one would match no stored key.
const minPepperBytes = 32

async function run(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values } = parseFlags(args, flags)
  const environment = values.env ?? 'test'
  if (environment !== 'live' && environment !== 'test') usageError('--env must be live or test')
  const kind = values.kind ?? 'secret'
  if (kind !== 'secret' && kind !== 'publishable') usageError('--kind must be secret or publishable')
  const hash = values.hash === true
  if (!hash && (values['pepper-file'] !== undefined || values.pepper !== undefined))
    usageError('a pepper is only used with --hash')
  const pepper = hash
    ? await readSecret(io, {
        what: 'the pepper',
        fileFlag: 'pepper-file',
        file: values['pepper-file'],
        argument: {
          flag: 'pepper',
          value: values.pepper,
          insisted: values['i-know-this-lands-in-shell-history'],
        },
        env: ['SEC_API_KEY_PEPPER'],
      })
    : undefined
  if (pepper !== undefined && new TextEncoder().encode(pepper.value).byteLength < minPepperBytes)
    usageError(
      `the pepper from ${pepper.source} must be at least ${minPepperBytes} bytes, as createApiKeys requires`,
    )

  const random = (bytes: Uint8Array<ArrayBuffer>) => io.random(bytes)
  const key = formatApiKey(kind, environment, generateApiKeyId(random), random)
  if (!hash) return emitSecret(io, values.out, key, 'the API key')
  const hasher = createApiKeyHasher(pepper?.value)
  const record = {
    key,
    id: parseApiKey(key)?.keyId,
    kind,
    environment,
    hash: await hasher.hash(key),
    hashAlgorithm: hasher.algorithm,
  }
  return emitSecret(io, values.out, JSON.stringify(record), 'the API key and its hash')
}

/** `sec keys generate api-key`: an API key in the `@sec/core/apikeys` format. */
export const keysGenerateApiKeyCommand: Command = {
  kind: 'command',
  usage: 'sec keys generate api-key [--env live|test] [--kind secret|publishable] [--hash] [--out <file>]',
  help: `Generate an API key in the @sec/core/apikeys format: sk_live_<id>_<secret><checksum>.

Usage: sec keys generate api-key [--env live|test] [--kind secret|publishable] [--hash] [--out <file>]

Prints the key. With --hash, prints one JSON object instead, with what a key store keeps:
{"key","id","kind","environment","hash","hashAlgorithm"}: the digest is the one createApiKeys
stores (HMAC-SHA-256 with the pepper, or SHA-256 without one), so you can insert a key made here
into your store (for a seed or an operator's key). Keys issued by your API come from
createApiKeys().issue() instead.

Options:
  --env <live|test>          The environment. Default: test.
  --kind <secret|publishable>
                             sk_ (server) or pk_ (may ship in clients). Default: secret.
  --hash                     Also print the storage digest (JSON output).
  --out <file>               Write the output to a new file, readable only by you (mode 0600),
                             instead of printing it. Refuses to replace an existing file.

Pepper (with --hash; never as a plain argument; the same as createApiKeys' pepper option):
  SEC_API_KEY_PEPPER         The pepper, from the environment (at least 32 bytes). Without one the
                             digest is plain SHA-256.
  --pepper-file <path>       Read the pepper from a file instead.
  --pepper <value> --i-know-this-lands-in-shell-history
                             Give the pepper as an argument. Refused without the second flag.
  -h, --help                 Show this help.

Examples:
  sec keys generate api-key --env live
  sec keys generate api-key --env live --hash --pepper-file pepper.txt --out new-key.json
`,
  run,
}
