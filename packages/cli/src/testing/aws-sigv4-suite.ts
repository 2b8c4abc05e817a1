import { readdirSync, readFileSync } from 'node:fs'

/** The AWS SigV4 test suite (awslabs/aws-c-auth), read in place from the shared conformance folder. */
const suite = new URL('../../../../../shared/conformance/aws-sigv4/', import.meta.url)

/** A case's `context.json`. */
export interface SigV4CaseContext {
  readonly credentials: {
    readonly access_key_id: string
    readonly secret_access_key: string
    readonly token?: string
  }
  readonly expiration_in_seconds: number
  readonly normalize: boolean
  readonly region: string
  readonly service: string
  readonly sign_body: boolean
  readonly timestamp: string
  readonly omit_session_token?: boolean
}

/** The names of the suite's cases, sorted. */
export const sigv4CaseNames: readonly string[] = readdirSync(suite, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort()

/** A file of a case, as bytes. */
export function sigv4CaseFile(name: string, file: string): Uint8Array {
  return readFileSync(new URL(`${name}/${file}`, suite))
}

/** A case's context. */
export function sigv4CaseContext(name: string): SigV4CaseContext {
  return JSON.parse(new TextDecoder().decode(sigv4CaseFile(name, 'context.json'))) as SigV4CaseContext
}

/** The environment holding a case's credentials, as `sec` reads them. */
export function sigv4CaseEnv(context: SigV4CaseContext): Record<string, string> {
  const { credentials } = context
  return {
    SEC_ACCESS_KEY_ID: credentials.access_key_id,
    SEC_SECRET_ACCESS_KEY: credentials.secret_access_key,
    ...(credentials.token !== undefined && { SEC_SESSION_TOKEN: credentials.token }),
  }
}
