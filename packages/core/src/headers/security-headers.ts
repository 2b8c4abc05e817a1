import * as v from 'valibot'
import { configError, parseOptions } from '../config/index.js'
import { cryptoRandom, type Guard, type RandomSource } from '../pipeline/index.js'
import { HeaderBlock, setHeaderBlock } from '../pipeline/response-headers.js'
import {
  type CspDirectives,
  checkCspDirectives,
  checkCspString,
  cspDirectivesSchema,
  nonceSource,
  serializeCsp,
} from './content-security-policy.js'
import { createNonceSource } from './csp-nonce.js'
import { headerValueMessage, isHeaderValue, isToken } from './http-syntax.js'
import { type HeadersPreset, type PresetHeaders, presets } from './presets.js'

/**
 * Changes to a preset of {@link headers}. Every header is named by its option; give a string to
 * send another value, or `false` to send none (and to delete one an earlier `headers` guard set, so
 * a route-level guard can replace the app-level one). Options left out keep the preset's value.
 * Strict-Transport-Security is not here: it belongs to the `https` guard.
 */
export interface HeadersOptions {
  /**
   * `Content-Security-Policy`: what the browser may load and run for this response.
   * - a {@link CspDirectives} object is merged over the preset's policy;
   * - a string replaces the policy as written;
   * - `false` sends no policy.
   *
   * Default (`'api'`): `default-src 'none'; frame-ancestors 'none'` (OWASP's REST advice: a JSON
   * response that a browser renders anyway can load nothing and cannot be framed).
   *
   * Default (`'web'`): a strict, nonce-based policy, `default-src 'self'; base-uri 'none';
   * object-src 'none'; frame-ancestors 'none'; form-action 'self'; script-src 'self' 'nonce-…'
   * 'strict-dynamic'; style-src 'self' 'nonce-…'; img-src 'self' data:; upgrade-insecure-requests`.
   * Scripts run only with the response's nonce (`<script nonce="…">`, read from
   * `outcome.facts.cspNonce`) and what they load (`'strict-dynamic'`); browsers without CSP3 fall
   * back to `'self'` plus the nonce. Styles need the nonce too, which also blocks `style="…"`
   * attributes: allow them with `{ styleSrcAttr: ["'unsafe-inline'"] }` if you must. `base-uri
   * 'none'` forbids `<base>`; use `["'self'"]` if a page needs one. `upgrade-insecure-requests`
   * breaks plain-`http:` development hosts other than localhost: set
   * `{ upgradeInsecureRequests: false }` there. A page carrying a nonce must not be served from a
   * shared cache, or every visitor shares the nonce.
   *
   * Write `'nonce'` (or {@link nonceSource}) wherever the per-request nonce goes, in the object or
   * in a string; a fixed `'nonce-…'` is a configuration error.
   */
  readonly contentSecurityPolicy?: string | CspDirectives | false
  /**
   * Sends the policy as `Content-Security-Policy-Report-Only`: violations are reported, nothing is
   * blocked. For rolling out a policy. Default: `false`.
   */
  readonly contentSecurityPolicyReportOnly?: boolean
  /**
   * `Cross-Origin-Embedder-Policy`: whether a document may load cross-origin resources that did not
   * opt in (CORP or CORS). Needed only for cross-origin isolation (`SharedArrayBuffer`). Default:
   * not sent, because `require-corp` breaks pages that embed third-party images or scripts.
   */
  readonly crossOriginEmbedderPolicy?: 'require-corp' | 'credentialless' | 'unsafe-none' | false
  /**
   * `Cross-Origin-Opener-Policy`: puts a page in its own browsing context group, so a cross-origin
   * window it opens, or that opened it, gets no handle on it (XS-Leaks, Spectre). Only documents
   * honour it, so on API responses it is inert. Default: `'same-origin'`. Pages that rely on an
   * OAuth or payment popup talking back through `window.opener` need `'same-origin-allow-popups'`.
   */
  readonly crossOriginOpenerPolicy?:
    | 'same-origin'
    | 'same-origin-allow-popups'
    | 'noopener-allow-popups'
    | 'unsafe-none'
    | false
  /**
   * `Cross-Origin-Resource-Policy`: who may embed this response with a no-cors request (`<img>`,
   * `<script>`, `<link>`, `fetch(…, { mode: 'no-cors' })`). Default: `'same-origin'`.
   *
   * It does not get in the way of CORS: the Fetch standard applies the check only to requests
   * whose mode is `no-cors`, so a browser on an origin the `cors` guard allows still reads the
   * response of its `fetch()`. What `'same-origin'` blocks is other sites pulling the response into
   * their process as an image or script, where Spectre-style side channels could read it. Use
   * `'cross-origin'` for public assets other sites embed (images, fonts from a CDN origin), and
   * `'same-site'` for assets shared by your own subdomains.
   */
  readonly crossOriginResourcePolicy?: 'same-origin' | 'same-site' | 'cross-origin' | false
  /**
   * `Origin-Agent-Cluster`: asks the browser to isolate the page by origin rather than by site, and
   * stops it from relaxing that through `document.domain`. Only documents honour it.
   * Default: `'?1'` for `'web'`, not sent for `'api'`.
   */
  readonly originAgentCluster?: '?1' | '?0' | false
  /**
   * `Permissions-Policy`, in its structured syntax (`camera=(), geolocation=(self)`); the older
   * Feature-Policy syntax (`camera 'none'`) is refused, since browsers ignore it. Default: every
   * feature of `deniedFeatures` denied (`accelerometer=(), bluetooth=(), camera=(), …`).
   */
  readonly permissionsPolicy?: string | false
  /**
   * `Referrer-Policy`: how much of this page's URL other origins see in `Referer`.
   * Default: `'strict-origin-when-cross-origin'` (the full URL to the same origin, only the
   * origin to others over HTTPS, nothing over a downgrade), which keeps paths and query strings,
   * where tokens too often end up, away from other sites.
   */
  readonly referrerPolicy?:
    | 'no-referrer'
    | 'no-referrer-when-downgrade'
    | 'same-origin'
    | 'origin'
    | 'strict-origin'
    | 'origin-when-cross-origin'
    | 'strict-origin-when-cross-origin'
    | 'unsafe-url'
    | false
  /**
   * `Cache-Control`. Default: `'no-store'` for `'api'`, so no browser or shared cache keeps
   * responses that may hold personal data or tokens; not sent for `'web'`. A handler may still set
   * its own for a cacheable response: adapters apply these headers before the handler runs.
   */
  readonly cacheControl?: string | false
  /**
   * `X-Content-Type-Options`: stops browsers from guessing a type other than `Content-Type` says,
   * so a JSON body with HTML in it is never run as a page. Default: `'nosniff'`.
   */
  readonly xContentTypeOptions?: 'nosniff' | false
  /**
   * `X-Frame-Options`: the older form of CSP `frame-ancestors`, for browsers without CSP2.
   * Default: `'DENY'`. If you relax `frame-ancestors`, set this to match (`'SAMEORIGIN'`) or to
   * `false`: browsers with CSP2 then follow `frame-ancestors` and ignore this header, but older ones
   * would keep denying.
   */
  readonly xFrameOptions?: 'DENY' | 'SAMEORIGIN' | false
  /**
   * `X-Permitted-Cross-Domain-Policies`: forbids Adobe clients (Acrobat, formerly Flash) from loading
   * a `crossdomain.xml` policy that would grant other domains access. Default: `'none'`.
   */
  readonly xPermittedCrossDomainPolicies?: 'none' | 'master-only' | 'by-content-type' | 'all' | false
  /**
   * `X-XSS-Protection`. Default: `'0'`, which turns the legacy XSS auditor off.
   *
   * OWASP and helmet recommend `0`: Chrome and Edge removed their auditors, Firefox never had one,
   * and where it remains (old Internet Explorer, old Safari) it created vulnerabilities: `1;
   * mode=block` let an attacker blank out or probe a page by triggering the filter on purpose
   * (cross-site leaks), and filter mode itself was exploitable. Protection against XSS comes from
   * output encoding and the Content-Security-Policy. `'1; mode=block'` is offered for teams whose
   * compliance scanner or policy still demands it; `false` sends no header.
   */
  readonly xXssProtection?: '0' | '1; mode=block' | false
  /**
   * Response headers the adapter removes from every response, because they advertise the server
   * software to attackers. Replaces the default list; `[]` removes nothing.
   * Default: `['X-Powered-By', 'Server']`.
   */
  readonly removeHeaders?: readonly string[]
  /**
   * The random source of the per-request CSP nonce. Default: `crypto.getRandomValues`. Inject a
   * fixed one in tests.
   */
  readonly random?: RandomSource
}

/** The option keys of {@link HeadersOptions} that carry one header each, and that header's name. */
const headerNames: Readonly<Record<keyof PresetHeaders, string>> = {
  crossOriginEmbedderPolicy: 'cross-origin-embedder-policy',
  crossOriginOpenerPolicy: 'cross-origin-opener-policy',
  crossOriginResourcePolicy: 'cross-origin-resource-policy',
  originAgentCluster: 'origin-agent-cluster',
  permissionsPolicy: 'permissions-policy',
  referrerPolicy: 'referrer-policy',
  cacheControl: 'cache-control',
  xContentTypeOptions: 'x-content-type-options',
  xFrameOptions: 'x-frame-options',
  xPermittedCrossDomainPolicies: 'x-permitted-cross-domain-policies',
  xXssProtection: 'x-xss-protection',
}

function choice<const T extends string>(values: readonly T[]) {
  const listed = values.map((value) => `'${value}'`).join(', ')
  return v.optional(v.union([v.literal(false), v.picklist(values)], `Expected ${listed} or false`))
}

const headerValue = v.pipe(v.string(), v.check(isHeaderValue, headerValueMessage))

// Each member is `feature=*`, `feature=self` or `feature=(…)` with self, src, * or quoted origins.
const permissionsMember = /^[a-z][a-z0-9-]*=(?:\*|self|\((?: |self|src|\*|"[^"]*")*\))$/

function isPermissionsPolicy(value: string): boolean {
  return value.split(',').every((member) => permissionsMember.test(member.replace(/^[ \t]+|[ \t]+$/g, '')))
}

const optionsSchema = v.strictObject({
  contentSecurityPolicy: v.optional(v.unknown()),
  contentSecurityPolicyReportOnly: v.optional(v.boolean()),
  crossOriginEmbedderPolicy: choice(['require-corp', 'credentialless', 'unsafe-none']),
  crossOriginOpenerPolicy: choice([
    'same-origin',
    'same-origin-allow-popups',
    'noopener-allow-popups',
    'unsafe-none',
  ]),
  crossOriginResourcePolicy: choice(['same-origin', 'same-site', 'cross-origin']),
  originAgentCluster: choice(['?1', '?0']),
  permissionsPolicy: v.optional(
    v.union(
      [
        v.literal(false),
        v.pipe(
          headerValue,
          v.check(
            isPermissionsPolicy,
            `Expected the Permissions-Policy syntax, e.g. 'camera=(), geolocation=(self "https://maps.example.com")'; the Feature-Policy syntax ("camera 'none'") is ignored by browsers`,
          ),
        ),
      ],
      'Expected a policy string or false',
    ),
  ),
  referrerPolicy: choice([
    'no-referrer',
    'no-referrer-when-downgrade',
    'same-origin',
    'origin',
    'strict-origin',
    'origin-when-cross-origin',
    'strict-origin-when-cross-origin',
    'unsafe-url',
  ]),
  cacheControl: v.optional(v.union([v.literal(false), headerValue], 'Expected a header value or false')),
  xContentTypeOptions: choice(['nosniff']),
  xFrameOptions: choice(['DENY', 'SAMEORIGIN']),
  xPermittedCrossDomainPolicies: choice(['none', 'master-only', 'by-content-type', 'all']),
  xXssProtection: choice(['0', '1; mode=block']),
  removeHeaders: v.optional(
    v.array(v.pipe(v.string(), v.check(isToken, 'Expected a header name such as X-Powered-By'))),
  ),
  random: v.optional(
    v.custom<RandomSource>(
      (input) => typeof input === 'function',
      'Expected a function like crypto.getRandomValues',
    ),
  ),
})

/** The policy from the preset and the `contentSecurityPolicy` option; `false` for none. */
function resolvePolicy(base: CspDirectives, option: unknown): string | false {
  const path = 'headers.contentSecurityPolicy'
  if (option === false) return false
  if (typeof option === 'string') {
    checkCspString(path, option)
    return option
  }
  if (option !== undefined && (typeof option !== 'object' || option === null || Array.isArray(option)))
    configError(
      path,
      'Expected a policy string, a directives object such as { imgSrc: ["\'self\'"] }, or false.',
    )
  const directives = option === undefined ? undefined : parseOptions(path, cspDirectivesSchema, option)
  if (directives !== undefined) checkCspDirectives(path, directives as CspDirectives)
  const policy = serializeCsp(base, directives as CspDirectives | undefined)
  if (policy === '')
    configError(
      path,
      'removes every directive of the preset. Use contentSecurityPolicy: false to send no policy.',
    )
  return policy
}

/**
 * A guard that sets security headers on every response, problem responses included (it is an
 * `always` guard), and asks the adapter to remove `X-Powered-By` and `Server`.
 *
 * Everything is computed here, once: per request the guard makes a few header `set` calls and,
 * when the policy has a nonce, draws one nonce. The nonce (144 random bits, base64) is recorded in
 * `outcome.facts.cspNonce` for the page's `<script nonce>` and `<style nonce>` tags.
 *
 * Options are checked now: an unknown name, a value with CR or LF, an unquoted CSP keyword or a
 * fixed nonce throws a `SecConfigError` naming the option.
 *
 * @param preset - `'api'` (default) for JSON APIs, `'web'` for HTML pages. See {@link HeadersOptions}.
 * @param overrides - Headers to change or remove.
 *
 * @example
 * createSecurity({ guards: [headers('api')] })
 * headers('web', { contentSecurityPolicy: { imgSrc: ["'self'", 'https://images.example.com'] } })
 */
export function headers(preset: HeadersPreset = 'api', overrides?: HeadersOptions): Guard {
  if (preset !== 'api' && preset !== 'web')
    configError('headers.preset', `must be 'api' or 'web'; got ${JSON.stringify(preset)}.`)
  const options = parseOptions('headers', optionsSchema, overrides) as HeadersOptions
  const base = presets[preset]

  const names: string[] = []
  const values: string[] = []
  const deleted: string[] = []
  for (const key of Object.keys(headerNames) as (keyof PresetHeaders)[]) {
    const value = options[key] ?? base.headers[key]
    if (value === false) deleted.push(headerNames[key])
    else if (value !== undefined) {
      names.push(headerNames[key])
      values.push(value)
    }
  }

  const cspName = options.contentSecurityPolicyReportOnly
    ? 'content-security-policy-report-only'
    : 'content-security-policy'
  const policy = resolvePolicy(base.csp, options.contentSecurityPolicy)
  let policyParts: readonly string[] | undefined
  if (policy === false) deleted.push(cspName)
  else {
    const parts = policy.split(nonceSource)
    if (parts.length === 1) {
      names.push(cspName)
      values.push(policy)
    } else policyParts = parts
  }
  const block = new HeaderBlock(names.map((name, i) => [name, values[i] as string]))
  const nextNonce = createNonceSource(options.random ?? cryptoRandom)
  const removed = (options.removeHeaders ?? ['X-Powered-By', 'Server']).map((name) => name.toLowerCase())

  return {
    name: 'headers',
    always: true,
    check(ctx) {
      const responseHeaders = ctx.responseHeaders
      setHeaderBlock(responseHeaders, block)
      for (const name of deleted) responseHeaders.delete(name)
      if (policyParts !== undefined) {
        const nonce = nextNonce()
        ctx.facts.cspNonce = nonce
        responseHeaders.set(cspName, policyParts.join(`'nonce-${nonce}'`))
      }
      for (const name of removed) ctx.removeResponseHeader(name)
    },
  }
}
