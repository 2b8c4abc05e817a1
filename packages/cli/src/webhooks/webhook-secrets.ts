import { usageError } from '../args/usage-error.js'
import type { CliIo } from '../cli-io.js'
import { readSecret } from '../secrets/read-secret.js'

/** The secret flags of the webhook commands. */
export const webhookSecretFlags = {
  'secret-file': { type: 'string' },
  secret: { type: 'string' },
  'i-know-this-lands-in-shell-history': { type: 'boolean' },
} as const

/** Their values, as `parseFlags` gives them. */
export interface WebhookSecretFlagValues {
  readonly 'secret-file'?: string | undefined
  readonly secret?: string | undefined
  readonly 'i-know-this-lands-in-shell-history'?: boolean | undefined
}

/**
 * Reads the webhook signing secrets: `--secret-file`, `--secret` (with the opt-in), then
 * `SEC_WEBHOOK_SECRET` (and `STRIPE_WEBHOOK_SECRET` for Stripe). Several secrets separated by
 * spaces or newlines are a rotation: signing uses each, verifying accepts any (neither format has
 * whitespace inside a secret).
 */
export async function readWebhookSecrets(
  io: CliIo,
  values: WebhookSecretFlagValues,
  stripe: boolean,
): Promise<string[]> {
  const env = stripe ? ['SEC_WEBHOOK_SECRET', 'STRIPE_WEBHOOK_SECRET'] : ['SEC_WEBHOOK_SECRET']
  const found = await readSecret(io, {
    what: 'the webhook secret',
    fileFlag: 'secret-file',
    file: values['secret-file'],
    argument: {
      flag: 'secret',
      value: values.secret,
      insisted: values['i-know-this-lands-in-shell-history'],
    },
    env,
  })
  if (found === undefined)
    usageError(`no webhook secret: set ${env.join(' or ')} or pass --secret-file <path>`)
  const secrets = found.value.split(/\s+/).filter((secret) => secret !== '')
  if (secrets.length === 0) usageError(`the webhook secret from ${found.source} is blank`)
  return secrets
}

/** How the library's option paths read here. */
export const webhookSecretLabels: Readonly<Record<string, string>> = {
  secret: 'the webhook secret',
  secrets: 'the webhook secret',
  tolerance: '--tolerance',
  timestamp: '--timestamp',
}
