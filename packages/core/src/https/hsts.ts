import * as v from 'valibot'
import { configError, parseOptions } from '../config/index.js'
import { type Duration, parseDuration } from '../duration/index.js'

/** The `Strict-Transport-Security` policy (RFC 6797) that {@link https} sends on HTTPS responses. */
export interface HstsOptions {
  /**
   * How long browsers keep to HTTPS for this host after seeing the header, as a {@link Duration}
   * (a number is milliseconds; the header carries whole seconds). Default: `'1y'`.
   *
   * At least one year, as OWASP and the preload list ask: a shorter policy lapses between visits and
   * leaves the first plain-HTTP request open again. `0` is accepted only to withdraw a policy
   * sent by mistake (browsers then forget it).
   */
  readonly maxAge?: Duration
  /** Whether the policy also covers every subdomain. Default: `true`. */
  readonly includeSubDomains?: boolean
  /**
   * Whether to ask for inclusion in the browsers' preload list (hstspreload.org). Requires
   * `includeSubDomains` and a `maxAge` of at least one year. Hard to undo: opt in deliberately.
   * Default: `false`.
   */
  readonly preload?: boolean
}

const schema = v.strictObject({
  maxAge: v.optional(v.unknown()),
  includeSubDomains: v.optional(v.boolean()),
  preload: v.optional(v.boolean()),
})

const oneYearSeconds = 31_536_000

/**
 * Checks the `hsts` option once and builds the header value, or `undefined` when it is `false`.
 * `path` is the option's path, e.g. `https.hsts`.
 */
export function hstsHeaderValue(value: unknown, path: string): string | undefined {
  if (value === false) return undefined
  if (value !== undefined && (typeof value !== 'object' || value === null || Array.isArray(value))) {
    return configError(
      path,
      `must be false or an object such as { maxAge: '1y', includeSubDomains: true }; got ${JSON.stringify(value) ?? String(value)}.`,
    )
  }
  const options = parseOptions(path, schema, value)
  const seconds = Math.floor(parseDuration(`${path}.maxAge`, options.maxAge ?? '1y') / 1000)
  const includeSubDomains = options.includeSubDomains ?? true
  const preload = options.preload ?? false
  if (
    !Number.isSafeInteger(seconds) ||
    (seconds > 0 && seconds < oneYearSeconds) ||
    (seconds === 0 && preload)
  ) {
    configError(
      `${path}.maxAge`,
      `must be at least one year ('1y'; a number is milliseconds, not seconds), or 0 only to withdraw a policy without preload; got ${JSON.stringify(options.maxAge)}.`,
    )
  }
  if (preload && !includeSubDomains) {
    configError(
      `${path}.preload`,
      'requires includeSubDomains: true, as the preload list does. Set it, or drop preload.',
    )
  }
  return `max-age=${seconds}${includeSubDomains ? '; includeSubDomains' : ''}${preload ? '; preload' : ''}`
}
