import type { CommandGroup } from './command.js'
import { keysGenerateApiKeyCommand } from './keys-generate-api-key.js'
import { keysGenerateHmacCommand } from './keys-generate-hmac.js'
import { keysGenerateJwkCommand } from './keys-generate-jwk.js'
import { keysGenerateWebhookCommand } from './keys-generate-webhook.js'
import { signCommand } from './sign.js'
import { verifyCommand } from './verify.js'
import { webhookSignCommand } from './webhook-sign.js'
import { webhookVerifyCommand } from './webhook-verify.js'

const exitCodes = `Exit codes:
  0   success; for verify commands, the signature is valid
  1   a verification ran and the request or delivery is not valid
  2   usage error: unknown option, missing or malformed argument, unreadable file, a secret given
      as an argument without --i-know-this-lands-in-shell-history
  70  unexpected internal failure (a bug: please report it)`

const generateGroup: CommandGroup = {
  kind: 'group',
  usage: 'sec keys generate <hmac|webhook|api-key|jwk> [options]',
  help: `Generate secrets, API keys and key pairs in @sec's formats.

Usage: sec keys generate <hmac|webhook|api-key|jwk> [options]

Kinds:
  hmac       A random HMAC secret in base64url (--bytes, default 32): a SigV4 secret access key.
  webhook    A Standard Webhooks signing secret, whsec_... (--bytes, default 32).
  api-key    An API key, sk_test_... (--env live|test, --kind secret|publishable, --hash for the
             storage digest with a pepper from SEC_API_KEY_PEPPER or --pepper-file).
  jwk        A key pair: the private JWK, and with --out <file> --jwks the public JWKS
             (--alg ES256|EdDSA|RS256|PS256, --kid).

Every kind prints to standard output, or writes a new file readable only by you with --out <file>.
Run 'sec keys generate <kind> --help' for a kind's options.
`,
  commands: {
    hmac: keysGenerateHmacCommand,
    webhook: keysGenerateWebhookCommand,
    'api-key': keysGenerateApiKeyCommand,
    jwk: keysGenerateJwkCommand,
  },
}

const keysGroup: CommandGroup = {
  kind: 'group',
  usage: 'sec keys generate <hmac|webhook|api-key|jwk> [options]',
  help: `Generate keys and secrets.

Usage: sec keys generate <hmac|webhook|api-key|jwk> [options]

Run 'sec keys generate --help' for the kinds.
`,
  commands: { generate: generateGroup },
}

const webhookGroup: CommandGroup = {
  kind: 'group',
  usage: 'sec webhook <sign|verify> [options]',
  help: `Sign and verify webhook deliveries: Standard Webhooks, or Stripe's format with --stripe.

Usage: sec webhook <sign|verify> [options]

Commands:
  sign       Print the signature headers for a payload.
  verify     Check a delivery's signature (exit 0 valid, 1 invalid).

Run 'sec webhook <command> --help' for its options.
`,
  commands: { sign: webhookSignCommand, verify: webhookVerifyCommand },
}

/** Every command, as a tree under `sec`. */
export const rootGroup: CommandGroup = {
  kind: 'group',
  usage: 'sec <command> [options]',
  help: `sec: sign and verify requests (SigV4) and webhooks, and generate secrets, API keys and key
pairs in @sec's formats.

Usage: sec <command> [options]

Commands:
  sign              Sign a request: the headers, a curl command (--curl) or a presigned URL.
  verify            Verify a saved SigV4-signed request.
  webhook sign      Sign a webhook payload (Standard Webhooks, or --stripe).
  webhook verify    Verify a webhook delivery.
  keys generate     Generate an HMAC secret, a webhook secret, an API key or a JWK key pair.

Secrets come from the environment (SEC_SECRET_ACCESS_KEY, SEC_WEBHOOK_SECRET, ...) or a file
(--secret-file), never from a plain argument: --secret is refused unless you also pass
--i-know-this-lands-in-shell-history.

Options:
  -h, --help        Show help; 'sec <command> --help' for a command's options.
  --version         Print the version.

${exitCodes}
`,
  commands: {
    sign: signCommand,
    verify: verifyCommand,
    webhook: webhookGroup,
    keys: keysGroup,
  },
}
