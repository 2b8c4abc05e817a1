import * as v from 'valibot'
import { configError, parseOptions } from '../config/index.js'
import { deny, type Guard } from '../pipeline/index.js'
import { catalogProblem } from '../problem/index.js'
import { defaultCredentialParams } from './credential-params.js'

/** Options of {@link noCredentialsInUrl}. Names are matched case-insensitively. */
export interface NoCredentialsInUrlOptions {
  /** The parameter names to refuse, replacing the defaults. Default: {@link defaultCredentialParams}. */
  readonly params?: readonly string[]
  /** Names to refuse on top of `params` (or of the defaults). Default: none. */
  readonly extraParams?: readonly string[]
  /** Names to take off the list, e.g. `['auth']` when your API uses it for something that is not a credential. Each must be on the list. Default: none. */
  readonly allowParams?: readonly string[]
}

const names = v.array(v.pipe(v.string(), v.nonEmpty('Expected a parameter name, not an empty string')))
const schema = v.strictObject({
  params: v.optional(names),
  extraParams: v.optional(names),
  allowParams: v.optional(names),
})

const detail =
  'Credentials must not be sent in the URL, where logs, proxies and browser history keep them. Send them in a header such as Authorization, or in the body.'

/**
 * Refuses (400 `credentials-in-url`) a request whose query carries a parameter that holds a
 * credential (`?access_token=…`, `?api_key=…`, `?password=…`). URLs end up in access logs, proxy
 * logs, browser history and `Referer` headers, so a credential there is a credential leaked.
 *
 * A name matches when it equals a listed name after URL-decoding and lower-casing, or when one
 * of its bracketed parts does (`user[password]`, `token[]`), as qs-style parsers read them. The
 * problem lists the matched names in `parameters`, lower-cased as in the list: never a value, never
 * the caller's own spelling. A target without `?` costs one `indexOf`.
 *
 * The client should treat a credential it sent this way as exposed and rotate it; the guard can
 * only stop the request from being served.
 *
 * @example
 * createSecurity({ guards: [noCredentialsInUrl({ extraParams: ['signature'], allowParams: ['auth'] })] })
 */
export function noCredentialsInUrl(options: NoCredentialsInUrlOptions = {}): Guard {
  const parsed = parseOptions('noCredentialsInUrl', schema, options)
  const listed = new Set(
    [...(parsed.params ?? defaultCredentialParams), ...(parsed.extraParams ?? [])].map((name) =>
      name.toLowerCase(),
    ),
  )
  parsed.allowParams?.forEach((name, i) => {
    if (!listed.delete(name.toLowerCase())) {
      configError(
        `noCredentialsInUrl.allowParams[${i}]`,
        `${JSON.stringify(name)} is not on the list, so there is nothing to allow. Check its spelling, or remove it.`,
      )
    }
  })
  if (listed.size === 0) {
    configError('noCredentialsInUrl', 'leaves no parameter name to refuse. Remove the guard instead.')
  }

  function listedName(name: string): string | undefined {
    const lower = name.toLowerCase()
    if (listed.has(lower)) return lower
    if (!lower.includes('[')) return undefined
    for (const part of lower.split(/[[\]]+/)) if (listed.has(part)) return part
    return undefined
  }

  return {
    name: 'noCredentialsInUrl',
    check(ctx) {
      if (ctx.request.target.indexOf('?') === -1) return
      let found: string[] | undefined
      for (const name of ctx.query.keys()) {
        const match = listedName(name)
        if (match === undefined) continue
        found ??= []
        if (!found.includes(match)) found.push(match)
      }
      if (found !== undefined)
        return deny(catalogProblem('credentials-in-url', { detail, parameters: found }))
    },
  }
}
