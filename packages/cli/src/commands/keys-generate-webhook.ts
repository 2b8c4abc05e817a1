import { generateWebhookSecret } from '@sec/core/webhooks'
import { parseIntegerFlag } from '../args/integer-flag.js'
import { parseFlags } from '../args/parse-flags.js'
import type { CliIo, ExitCode } from '../cli-io.js'
import { emitSecret } from '../keys/emit-secret.js'
import type { Command } from './command.js'

const flags = { bytes: { type: 'string' }, out: { type: 'string' } } as const

async function run(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values } = parseFlags(args, flags)
  const size = values.bytes === undefined ? 32 : parseIntegerFlag('--bytes', values.bytes, 24, 64)
  const secret = generateWebhookSecret((bytes) => io.random(bytes), size)
  return emitSecret(io, values.out, secret, 'the webhook secret')
}

/** `sec keys generate webhook`: a Standard Webhooks signing secret. */
export const keysGenerateWebhookCommand: Command = {
  kind: 'command',
  usage: 'sec keys generate webhook [--bytes <n>] [--out <file>]',
  help: `Generate a Standard Webhooks signing secret: whsec_ and the key in base64.

Usage: sec keys generate webhook [--bytes <n>] [--out <file>]

Give it to the receiver once, over a secure channel; both sides keep it in a secret store.

Options:
  --bytes <n>                Key bytes, 24 to 64. Default: 32 (256 bits).
  --out <file>               Write it to a new file, readable only by you (mode 0600), instead of
                             printing it. Refuses to replace an existing file.
  -h, --help                 Show this help.

Example:
  export SEC_WEBHOOK_SECRET=$(sec keys generate webhook)
`,
  run,
}
