import { usageError } from '../args/usage-error.js'
import type { CliIo } from '../cli-io.js'
import { type FoundSecret, readSecret } from '../secrets/read-secret.js'

/** The environment variables of one set of credentials. */
interface CredentialVariables {
  readonly accessKeyId: string
  readonly secretAccessKey: string
  readonly sessionToken: string
}

/** The project's names first, then the AWS ones the AWS tools set. */
export const credentialVariables: readonly CredentialVariables[] = [
  {
    accessKeyId: 'SEC_ACCESS_KEY_ID',
    secretAccessKey: 'SEC_SECRET_ACCESS_KEY',
    sessionToken: 'SEC_SESSION_TOKEN',
  },
  {
    accessKeyId: 'AWS_ACCESS_KEY_ID',
    secretAccessKey: 'AWS_SECRET_ACCESS_KEY',
    sessionToken: 'AWS_SESSION_TOKEN',
  },
]

/** The credential flags `sign` and `verify` share. */
export const credentialFlags = {
  'access-key-id': { type: 'string' },
  'secret-file': { type: 'string' },
  secret: { type: 'string' },
  'i-know-this-lands-in-shell-history': { type: 'boolean' },
} as const

/** Their values, as `parseFlags` gives them. */
export interface CredentialFlagValues {
  readonly 'access-key-id'?: string | undefined
  readonly 'secret-file'?: string | undefined
  readonly secret?: string | undefined
  readonly 'i-know-this-lands-in-shell-history'?: boolean | undefined
}

/** Credentials read from flags and the environment. */
export interface FoundCredentials {
  /** The access key id, when known. */
  readonly accessKeyId: string | undefined
  readonly secret: FoundSecret
  /** The session token, read only from the same variables as the secret. */
  readonly sessionToken: string | undefined
}

const isSet = (env: CliIo['env'], name: string) => (env[name] ?? '') !== ''

/**
 * Reads the access key id, secret and session token. The variables are read as one set, never
 * mixed: the `SEC_` set when any of its id or secret is set, the `AWS_` set otherwise. A session
 * token is taken from the environment only with a secret from the same set: a secret from a file
 * never picks up an unrelated `AWS_SESSION_TOKEN` left by another tool.
 */
export async function readCredentials(io: CliIo, values: CredentialFlagValues): Promise<FoundCredentials> {
  const set = credentialVariables.find(
    (names) => isSet(io.env, names.accessKeyId) || isSet(io.env, names.secretAccessKey),
  )
  const secret = await readSecret(io, {
    what: 'the secret access key',
    fileFlag: 'secret-file',
    file: values['secret-file'],
    argument: {
      flag: 'secret',
      value: values.secret,
      insisted: values['i-know-this-lands-in-shell-history'],
    },
    env: set === undefined ? ['SEC_SECRET_ACCESS_KEY'] : [set.secretAccessKey],
  })
  if (secret === undefined)
    usageError(
      set === undefined
        ? 'no secret access key: set SEC_SECRET_ACCESS_KEY (or AWS_SECRET_ACCESS_KEY) or pass --secret-file <path>'
        : `no secret access key: ${set.accessKeyId} is set but ${set.secretAccessKey} is not; set it or pass --secret-file <path>`,
    )
  const fromEnvironment = set !== undefined && secret.source === set.secretAccessKey
  const sessionToken = fromEnvironment ? io.env[set.sessionToken] : undefined
  const accessKeyId = values['access-key-id'] ?? (set === undefined ? undefined : io.env[set.accessKeyId])
  return {
    accessKeyId: accessKeyId === '' ? undefined : accessKeyId,
    secret,
    sessionToken: sessionToken === '' ? undefined : sessionToken,
  }
}
