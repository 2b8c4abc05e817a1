import { parseIntegerFlag } from '../args/integer-flag.js'
import { parseFlags } from '../args/parse-flags.js'
import type { CliIo, ExitCode } from '../cli-io.js'
import { emitSecret } from '../keys/emit-secret.js'
import type { Command } from './command.js'

const flags = { bytes: { type: 'string' }, out: { type: 'string' } } as const

async function run(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values } = parseFlags(args, flags)
  const size = values.bytes === undefined ? 32 : parseIntegerFlag('--bytes', values.bytes, 32, 1024)
  const secret = Buffer.from(io.random(new Uint8Array(size))).toString('base64url')
  return emitSecret(io, values.out, secret, 'the HMAC secret')
}

/** `sec keys generate hmac`: a random HMAC secret, e.g. a SigV4 secret access key. */
export const keysGenerateHmacCommand: Command = {
  kind: 'command',
  usage: 'sec keys generate hmac [--bytes <n>] [--out <file>]',
  help: `Generate a random HMAC secret: a SigV4 secret access key, a pepper, any shared secret.

Usage: sec keys generate hmac [--bytes <n>] [--out <file>]

Prints the secret in base64url (no padding) on standard output.

Options:
  --bytes <n>                Random bytes, 32 to 1024. Default: 32 (256 bits).
  --out <file>               Write it to a new file, readable only by you (mode 0600), instead of
                             printing it. Refuses to replace an existing file.
  -h, --help                 Show this help.

Example:
  sec keys generate hmac --out client-secret.txt
`,
  run,
}
