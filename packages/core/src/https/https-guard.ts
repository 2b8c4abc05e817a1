import * as v from 'valibot'
import { isLoopbackPeer } from '../client-ip/direct-peer.js'
import { hostName, normalizeHost } from '../client-ip/host-name.js'
import { configError, parseOptions } from '../config/index.js'
import { deny, type Guard, type GuardContext } from '../pipeline/index.js'
import { catalogProblem } from '../problem/index.js'
import { type HstsOptions, hstsHeaderValue } from './hsts.js'
import { redirectTarget } from './redirect-target.js'

/** Options of {@link https}. */
export interface HttpsOptions {
  /**
   * Whether a `GET` or `HEAD` over plain HTTP is redirected (308) to the same target over HTTPS.
   * Other methods are always refused (403): their body already crossed the network in clear, and a
   * redirect would make clients send it in clear once more. When `false`, every plain-HTTP request
   * is refused. Default: `true`.
   */
  readonly redirect?: boolean
  /**
   * The host (with an optional port) every redirect goes to, e.g. `'api.example.com'`. Default:
   * none, the request's validated host (`ctx.client.host`) without its port is used.
   */
  readonly canonicalHost?: string
  /**
   * Host names (no port) a redirect may go to. A request for any other host, or with no valid
   * host, is refused (403) instead of redirected, so that a forged `Host` or forwarded host can
   * never steer a redirect. Default: any valid host.
   */
  readonly allowedHosts?: readonly string[]
  /**
   * The `Strict-Transport-Security` policy added to every HTTPS response, including denials by
   * other guards; `false` sends none (when a proxy or CDN sets it). Never sent over plain HTTP,
   * where browsers ignore it (RFC 6797 §7.2). Default: `{ maxAge: '1y', includeSubDomains: true, preload: false }`.
   */
  readonly hsts?: false | HstsOptions
  /**
   * Serves plain HTTP to a request straight from this machine: the socket peer is a loopback
   * address and no trusted proxy forwarded it (`ctx.client.viaProxy` is false). For local
   * development. A request a trusted proxy forwards, for instance with `X-Forwarded-Proto: http`,
   * is still redirected or refused. Forwarding headers from an untrusted peer change nothing, as
   * everywhere else; so a reverse proxy on the same machine must be listed in `trustProxy`
   * (`['loopback']`), or its plain-HTTP requests would look direct. Default: `false`.
   */
  readonly allowDirectLoopback?: boolean
}

const schema = v.strictObject({
  redirect: v.optional(v.boolean()),
  canonicalHost: v.optional(v.string()),
  allowedHosts: v.optional(v.array(v.string())),
  hsts: v.optional(v.unknown()),
  allowDirectLoopback: v.optional(v.boolean()),
})

function checkedCanonicalHost(value: string): string {
  const host = normalizeHost(value)
  if (host === undefined) {
    return configError(
      'https.canonicalHost',
      `must be a host name or IP literal with an optional port, such as 'api.example.com' or 'api.example.com:8443', without scheme or path; got ${JSON.stringify(value)}.`,
    )
  }
  return host
}

function checkedAllowedHosts(values: readonly string[]): ReadonlySet<string> {
  if (values.length === 0) {
    configError(
      'https.allowedHosts',
      'lists no host, so nothing could be redirected. List your hosts, or set redirect: false.',
    )
  }
  return new Set(
    values.map((value, i) => {
      const host = normalizeHost(value)
      if (host === undefined || hostName(host) !== host) {
        return configError(
          `https.allowedHosts[${i}]`,
          `must be a host name or IP literal without port, scheme or path, such as 'api.example.com'; got ${JSON.stringify(value)}.`,
        )
      }
      return host
    }),
  )
}

/**
 * Enforces HTTPS. A request the resolved client made over plain HTTP (`ctx.client.protocol`,
 * which follows trusted proxies) is answered before any other guard sees it:
 *
 * - `GET`/`HEAD`: 308 to `https://<host><target>` with an `https-redirect` problem body, when a
 *   safe host is known (`canonicalHost`, or the validated request host, in `allowedHosts` if given);
 * - otherwise, and for every other method: 403 `https-required`.
 *
 * Every HTTPS response gets `Strict-Transport-Security`. The guard is `always`, so HSTS is also on
 * the problem responses of guards that end a request before it runs: a browser that met a 401 or
 * a 429 must still learn to keep to HTTPS. Put it first, so that plain-HTTP requests are turned
 * away before other guards read credentials or bodies.
 *
 * Options are checked now; a bad one throws a `SecConfigError` naming it (`https.hsts.maxAge`).
 *
 * @example
 * createSecurity({ trustProxy: ['loopback'], guards: [https({ allowedHosts: ['api.example.com'] }), headers('api')] })
 */
export function https(options: HttpsOptions = {}): Guard {
  const parsed = parseOptions('https', schema, options)
  const redirect = parsed.redirect ?? true
  if (!redirect && (parsed.canonicalHost !== undefined || parsed.allowedHosts !== undefined)) {
    configError(
      parsed.canonicalHost !== undefined ? 'https.canonicalHost' : 'https.allowedHosts',
      'only chooses where redirects go, and redirect is false. Remove it, or allow redirects.',
    )
  }
  if (parsed.canonicalHost !== undefined && parsed.allowedHosts !== undefined) {
    configError(
      'https.allowedHosts',
      'has no effect next to canonicalHost, which every redirect uses. Remove one of them.',
    )
  }
  const canonicalHost =
    parsed.canonicalHost === undefined ? undefined : checkedCanonicalHost(parsed.canonicalHost)
  const allowedHosts =
    parsed.allowedHosts === undefined ? undefined : checkedAllowedHosts(parsed.allowedHosts)
  const hsts = hstsHeaderValue(parsed.hsts, 'https.hsts')
  const allowDirectLoopback = parsed.allowDirectLoopback ?? false
  const redirectProblem = catalogProblem('https-redirect', {
    detail: 'This API is served over HTTPS only. Repeat the request at the Location given.',
  })
  const requiredProblem = catalogProblem('https-required', {
    detail: 'This API is served over HTTPS only. Send the request over HTTPS.',
  })

  function redirectHost(ctx: GuardContext): string | undefined {
    if (canonicalHost !== undefined) return canonicalHost
    const host = ctx.client.host
    if (host === undefined) return undefined
    const name = hostName(host)
    return allowedHosts === undefined || allowedHosts.has(name) ? name : undefined
  }

  return {
    name: 'https',
    always: true,
    check(ctx) {
      if (ctx.client.protocol === 'https') {
        if (hsts !== undefined) ctx.responseHeaders.set('strict-transport-security', hsts)
        return
      }
      if (allowDirectLoopback && !ctx.client.viaProxy && isLoopbackPeer(ctx.request.remoteAddress)) return
      const method = ctx.request.method
      if (redirect && (method === 'GET' || method === 'HEAD')) {
        const host = redirectHost(ctx)
        const target = host === undefined ? undefined : redirectTarget(ctx.request.target)
        if (target !== undefined) return deny(redirectProblem, { location: `https://${host}${target}` })
      }
      return deny(requiredProblem)
    },
  }
}
