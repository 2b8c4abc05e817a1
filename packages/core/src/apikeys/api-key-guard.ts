import * as v from 'valibot'
import { authUnavailableRetryAfter } from '../auth/auth-unavailable.js'
import { configError, parseOptions } from '../config/index.js'
import { isToken } from '../headers/http-syntax.js'
import {
  challenge,
  deny,
  type Guard,
  type GuardContext,
  type GuardResult,
  type Principal,
} from '../pipeline/index.js'
import { catalogProblem } from '../problem/index.js'
import type { ApiKeyRefusal, ApiKeys } from './api-keys.js'
import { type ApiKeyKind, looksLikeApiKey, parseApiKey } from './key-format.js'

/** Options of {@link apiKey}. */
export interface ApiKeyGuardOptions {
  /** The manager from `createApiKeys`: its store, pepper and environment verify the keys. Required. */
  readonly keys: ApiKeys
  /**
   * The request header carrying the key. Default: `'X-API-Key'`, the raw key as its whole value,
   * which leaves `Authorization` to a bearer token guard on the same route. `'Authorization'` reads
   * `Authorization: Bearer sk_live_…` instead. Keys are never read from the query string: URLs end
   * up in logs, browser history and `Referer` headers, so a key found there is refused with a 400.
   */
  readonly header?: string
  /** Scopes the key must all grant for this route, e.g. `['notes:write']`; else 403. Default: none. */
  readonly scopes?: readonly string[]
  /**
   * The kinds of key accepted. Default: `['secret']`: publishable keys (`pk_`) are meant to be seen
   * by anyone, so they authenticate nothing unless a route says so.
   */
  readonly kinds?: readonly ApiKeyKind[]
  /**
   * Let a request without a key (in `Authorization` mode: without a `Bearer` value that starts like
   * one of these keys) go on unauthenticated, for a later guard to authenticate (a bearer JWT) or
   * for a route open to anonymous callers. A key that is present is still checked. Default: `false`.
   */
  readonly optional?: boolean
  /** The `realm` of the `WWW-Authenticate` challenge. Default: `'api'`. */
  readonly realm?: string
}

/** Query parameter names that carry API keys in other APIs; refused when non-empty, with any key-shaped value. */
const keyParameterNames = new Set(['api_key', 'apikey', 'api-key', 'x-api-key', 'access_token'])

const optionsSchema = v.strictObject({
  keys: v.optional(
    v.custom<ApiKeys>(
      (x) => typeof (x as ApiKeys | null)?.verify === 'function',
      'Expected the manager from createApiKeys({ ... })',
    ),
  ),
  header: v.optional(v.pipe(v.string(), v.check(isToken, 'Expected a header name such as X-API-Key'))),
  scopes: v.optional(
    v.array(
      v.pipe(v.string(), v.regex(/^[\x21\x23-\x5b\x5d-\x7e]+$/, 'Expected a scope token such as notes:read')),
    ),
  ),
  kinds: v.optional(v.array(v.picklist(['secret', 'publishable'], "Expected 'secret' or 'publishable'"))),
  optional: v.optional(v.boolean()),
  realm: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^[\x20\x21\x23-\x5b\x5d-\x7e]*$/, 'Expected printable ASCII without " or \\'),
    ),
  ),
})

const bearerPrefix = /^bearer +/i

function keyInQuery(query: URLSearchParams): boolean {
  for (const [name, value] of query)
    if (looksLikeApiKey(value) || (value !== '' && keyParameterNames.has(name.toLowerCase()))) return true
  return false
}

/**
 * A guard that authenticates machine clients by API key, and sets `ctx.principal` to
 * `{ id: owner, kind: 'api-key', scopes, keyId, environment }`.
 *
 * In order: a key in the query string is refused (400 `invalid-request`); a missing key is a 401
 * (unless `optional`); the key's format and checksum are checked before any store access, then
 * the environment, the stored hash (constant time), revocation and expiry, each failure the same
 * 401 `unauthorized` so a caller learns nothing about which check failed; missing scopes are a
 * 403 `insufficient-scope`. Every refusal carries `WWW-Authenticate` (`ApiKey` scheme for a custom
 * header, `Bearer` per RFC 6750 for `Authorization`), and no problem body repeats the key. A
 * refused key (in the URL, or failing a check) emits an `auth.rejected` event with the reason and
 * the key's id, never the key; a missing key emits none. When the store cannot answer (it throws
 * or rejects), the request gets a 503 `auth-unavailable` with `Retry-After` and an
 * `auth.unavailable` event carrying the error.
 *
 * @example
 * const keys = createApiKeys({ store, environment: 'live', pepper })
 * secure.route(apiKey({ keys, scopes: ['notes:write'] }))
 */
export function apiKey(options: ApiKeyGuardOptions): Guard {
  const parsed = parseOptions('apiKey', optionsSchema, options)
  const keys = parsed.keys
  if (keys === undefined)
    configError('apiKey.keys', 'is required: pass the manager from createApiKeys({ store, environment }).')
  const headerName = parsed.header ?? 'X-API-Key'
  const header = headerName.toLowerCase()
  const viaAuthorization = header === 'authorization'
  const required = [...new Set(parsed.scopes ?? [])]
  const kinds = new Set(parsed.kinds ?? ['secret'])
  if (kinds.size === 0) configError('apiKey.kinds', "is empty. List the kinds accepted, e.g. ['secret'].")
  const optional = parsed.optional ?? false
  const realm = parsed.realm ?? 'api'

  const scheme = viaAuthorization
    ? `Bearer realm="${realm}"`
    : `ApiKey realm="${realm}", header="${headerName}"`
  const missingHeaders = { 'www-authenticate': scheme }
  const invalidHeaders = { 'www-authenticate': `${scheme}, error="invalid_token"` }
  const queryHeaders = { 'www-authenticate': `${scheme}, error="invalid_request"` }
  const scopeHeaders = {
    'www-authenticate': `${scheme}, error="insufficient_scope", scope="${required.join(' ')}"`,
  }
  const unavailableProblem = catalogProblem('auth-unavailable', {
    detail: 'The API key cannot be checked right now. Retry later.',
  })
  const unavailableHeaders = { 'retry-after': String(authUnavailableRetryAfter) }
  const where = viaAuthorization ? 'the Authorization header as a Bearer token' : `the ${headerName} header`
  const missing = () =>
    challenge(
      catalogProblem('unauthorized', { detail: `An API key is required in ${where}.` }),
      missingHeaders,
    )
  const invalid = () =>
    challenge(catalogProblem('unauthorized', { detail: 'The API key is not valid.' }), invalidHeaders)

  function refuse(ctx: GuardContext, reason: ApiKeyRefusal | 'kind', key: string): GuardResult {
    ctx.emit({ type: 'auth.rejected', scheme: 'api-key', reason, keyId: parseApiKey(key)?.keyId })
    return invalid()
  }

  function presented(value: string | null): string | undefined {
    if (value === null) return undefined
    if (!viaAuthorization) return value
    const match = bearerPrefix.exec(value)
    if (match === null) return undefined
    const token = value.slice(match[0].length)
    // In optional mode another guard may own bearer tokens: only values shaped like our keys are ours.
    return optional && !looksLikeApiKey(token) ? undefined : token
  }

  return {
    name: 'api-key',
    async check(ctx): Promise<GuardResult> {
      if (ctx.request.target.includes('?') && keyInQuery(ctx.query)) {
        ctx.emit({ type: 'auth.rejected', scheme: 'api-key', reason: 'in-url', keyId: undefined })
        return deny(
          catalogProblem('invalid-request', {
            detail: `API keys are accepted in ${where} only, never in the URL. A key sent in a URL may be logged: rotate it.`,
          }),
          queryHeaders,
        )
      }
      const key = presented(ctx.request.headers.get(header))
      if (key === undefined || key === '') return optional ? undefined : missing()
      let result: Awaited<ReturnType<ApiKeys['verify']>>
      try {
        result = await keys.verify(key)
      } catch (error) {
        ctx.emit({ type: 'auth.unavailable', scheme: 'api-key', error })
        return deny(unavailableProblem, unavailableHeaders)
      }
      if (!result.valid) return refuse(ctx, result.refusal, key)
      const metadata = result.metadata
      if (!kinds.has(metadata.kind)) return refuse(ctx, 'kind', key)
      for (const scope of required)
        if (!metadata.scopes.includes(scope))
          return deny(
            catalogProblem('insufficient-scope', { detail: 'The API key lacks a scope this request needs.' }),
            scopeHeaders,
          )
      const principal: Principal = {
        id: metadata.owner,
        kind: 'api-key',
        scopes: metadata.scopes,
        keyId: metadata.id,
        environment: metadata.environment,
      }
      ctx.principal = principal
      return undefined
    },
  }
}
