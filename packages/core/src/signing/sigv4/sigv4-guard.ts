import * as v from 'valibot'
import { parseByteSize } from '../../body/byte-size.js'
import { parseOptions } from '../../config/index.js'
import { challenge, type Guard, type GuardContext, type GuardResult } from '../../pipeline/index.js'
import { parseCredential, parseSigV4Authorization } from './authorization-header.js'
import { type ResolvedNaming, resolveNaming } from './naming.js'
import { type SigV4VerifierOptions, verifierEntries, verifierFrom } from './verifier.js'

/** Options of {@link sigv4}: those of the verifier, and the challenge's realm. */
export interface SigV4GuardOptions extends SigV4VerifierOptions {
  /** The `realm` of the `WWW-Authenticate` challenge on a 401. Default: `'api'`. */
  readonly realm?: string
}

const optionsSchema = v.strictObject({
  ...verifierEntries,
  realm: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^[\x20\x21\x23-\x5b\x5d-\x7e]*$/, 'Expected printable ASCII without " or \\'),
    ),
  ),
})

/** Facts the guard records for later guards and the handler, under `facts.sigv4`. */
export interface SigV4Facts {
  readonly accessKeyId: string
  readonly presigned: boolean
  /** The signed request time, ms since the epoch. */
  readonly signedAt: number
  /** A presigned URL's expiry, ms since the epoch. */
  readonly expiresAt: number | undefined
}

/**
 * The access key id a refused request named, when its `Authorization` header (sent once) or its
 * presigned `Credential` parameter parses; `undefined` otherwise. Only run on refusals.
 */
function presentedAccessKeyId(ctx: GuardContext, naming: ResolvedNaming): string | undefined {
  const authorization = ctx.request.headers.getAll('authorization')
  if (authorization.length === 1)
    return parseSigV4Authorization(authorization[0] as string, naming.algorithm)?.credential.accessKeyId
  const credentials = ctx.query.getAll(naming.params.credential)
  if (authorization.length === 0 && credentials.length === 1)
    return parseCredential(credentials[0] as string)?.accessKeyId
  return undefined
}

/** Whether a request presents a signature at all: an `Authorization` header or presigned parameters. */
function presentsSignature(ctx: GuardContext, naming: ResolvedNaming): boolean {
  return (
    ctx.request.headers.has('authorization') ||
    (ctx.request.target.includes('?') &&
      (ctx.query.has(naming.params.signature) || ctx.query.has(naming.params.algorithm)))
  )
}

/**
 * A guard that authenticates machine clients by SigV4-style request signatures (the header or a
 * presigned URL), and sets `ctx.principal` to `{ id: owner ?? accessKeyId, kind: 'client',
 * scopes?, accessKeyId }` and `facts.sigv4`.
 *
 * Every refusal is a 401 `unauthorized` problem with a stable `reason` (see `SigV4Refusal`) and a
 * `WWW-Authenticate: <algorithm> realm="…"` challenge; it never repeats a secret or the expected
 * signature. The body is read (once, within `maxBodyBytes`) only for a request whose signature
 * holds, to check its hash. A body over the limit is a 413, a failing nonce store a 503
 * `auth-unavailable`.
 *
 * Each refusal emits an `auth.rejected` event (`scheme: 'sigv4'`) with the refusal's reason and
 * the access key id when the credential parses; a request without any signature emits none.
 *
 * @example
 * secure.route(sigv4({ credentials: (id) => clientSecrets.get(id), region: 'eu', service: 'notes' }))
 */
export function sigv4(options: SigV4GuardOptions): Guard {
  const { realm, ...rest } = parseOptions('sigv4', optionsSchema, options)
  const verifier = verifierFrom('sigv4', rest)
  const naming = resolveNaming(rest.naming)
  const headers = { 'www-authenticate': `${naming.algorithm} realm="${realm ?? 'api'}"` }
  const bodyLimit =
    rest.maxBodyBytes === undefined ? undefined : parseByteSize('sigv4.maxBodyBytes', rest.maxBodyBytes)

  return {
    name: 'sigv4',
    async check(ctx): Promise<GuardResult> {
      const result = await verifier.verify(ctx.request, {
        now: ctx.now(),
        body: () => ctx.body(bodyLimit),
      })
      if (!result.valid) {
        if (result.reason !== 'missing-header' || presentsSignature(ctx, naming))
          ctx.emit({
            type: 'auth.rejected',
            scheme: 'sigv4',
            reason: result.reason,
            keyId: presentedAccessKeyId(ctx, naming),
          })
        return challenge(result.problem, headers)
      }
      ctx.principal = result.principal
      const facts: SigV4Facts = {
        accessKeyId: result.accessKeyId,
        presigned: result.presigned,
        signedAt: result.signedAt,
        expiresAt: result.expiresAt,
      }
      ctx.facts.sigv4 = facts
      return undefined
    },
  }
}
