import * as v from 'valibot'
import { configError } from '../config/index.js'
import { headerValueMessage, isHeaderValue, isToken } from './http-syntax.js'

/**
 * Stands for the per-request nonce in a policy: `script-src 'self' 'nonce' 'strict-dynamic'` is sent
 * as `script-src 'self' 'nonce-…' 'strict-dynamic'` with a fresh value on every response. Usable in
 * the directives object and in a policy written as a string.
 */
export const nonceSource = "'nonce'"

/**
 * A list of CSP source expressions, one per item, keywords in single quotes: `["'self'",
 * 'https://cdn.example.com', nonceSource]`. `false` leaves the directive out.
 */
export type CspSourceList = readonly string[] | false

/**
 * Content-Security-Policy directives, named in camelCase. Given to the `contentSecurityPolicy` option of `headers()`, they are
 * merged over the preset's policy: a directive you name replaces the preset's, `false` removes it,
 * and the others stay. Directive reference: https://www.w3.org/TR/CSP3/#csp-directives
 */
export interface CspDirectives {
  /** `default-src`: the fallback for every fetch directive not listed. */
  readonly defaultSrc?: CspSourceList
  /** `script-src`: where scripts may come from. */
  readonly scriptSrc?: CspSourceList
  /** `script-src-elem`: `<script>` elements, overriding `script-src`. */
  readonly scriptSrcElem?: CspSourceList
  /** `script-src-attr`: inline event handlers (`onclick`), overriding `script-src`. */
  readonly scriptSrcAttr?: CspSourceList
  /** `style-src`: where styles may come from. */
  readonly styleSrc?: CspSourceList
  /** `style-src-elem`: `<style>` and `<link rel=stylesheet>`, overriding `style-src`. */
  readonly styleSrcElem?: CspSourceList
  /** `style-src-attr`: `style="…"` attributes, overriding `style-src`. */
  readonly styleSrcAttr?: CspSourceList
  /** `img-src`: images and favicons. */
  readonly imgSrc?: CspSourceList
  /** `font-src`: web fonts. */
  readonly fontSrc?: CspSourceList
  /** `connect-src`: `fetch`, XHR, WebSocket, EventSource. */
  readonly connectSrc?: CspSourceList
  /** `media-src`: `<audio>`, `<video>`, `<track>`. */
  readonly mediaSrc?: CspSourceList
  /** `object-src`: `<object>` and `<embed>` plugins. */
  readonly objectSrc?: CspSourceList
  /** `frame-src`: documents this page embeds in frames. */
  readonly frameSrc?: CspSourceList
  /** `child-src`: frames and workers, where `frame-src` or `worker-src` is absent. */
  readonly childSrc?: CspSourceList
  /** `worker-src`: Worker, SharedWorker and ServiceWorker scripts. */
  readonly workerSrc?: CspSourceList
  /** `manifest-src`: web app manifests. */
  readonly manifestSrc?: CspSourceList
  /** `base-uri`: the URLs a `<base>` element may set. */
  readonly baseUri?: CspSourceList
  /** `form-action`: where forms may submit. */
  readonly formAction?: CspSourceList
  /** `frame-ancestors`: who may embed this response in a frame (supersedes `X-Frame-Options`). */
  readonly frameAncestors?: CspSourceList
  /** `sandbox`: `true` (or `[]`) for the strictest sandbox, or the `allow-…` flags to relax it. */
  readonly sandbox?: readonly string[] | boolean
  /** `report-to`: the name of a reporting endpoint declared in a `Reporting-Endpoints` header. */
  readonly reportTo?: string | false
  /** `report-uri`: URLs that receive violation reports (deprecated by `report-to`, still the most supported). */
  readonly reportUri?: readonly string[] | false
  /** `require-trusted-types-for`: `["'script'"]` to require Trusted Types for DOM XSS sinks. */
  readonly requireTrustedTypesFor?: readonly string[] | false
  /** `trusted-types`: the Trusted Types policy names the page may create. */
  readonly trustedTypes?: readonly string[] | false
  /** `upgrade-insecure-requests`: load `http:` subresources over `https:`. */
  readonly upgradeInsecureRequests?: boolean
}

type DirectiveKey = keyof CspDirectives

const directiveNames: Readonly<Record<DirectiveKey, string>> = {
  defaultSrc: 'default-src',
  scriptSrc: 'script-src',
  scriptSrcElem: 'script-src-elem',
  scriptSrcAttr: 'script-src-attr',
  styleSrc: 'style-src',
  styleSrcElem: 'style-src-elem',
  styleSrcAttr: 'style-src-attr',
  imgSrc: 'img-src',
  fontSrc: 'font-src',
  connectSrc: 'connect-src',
  mediaSrc: 'media-src',
  objectSrc: 'object-src',
  frameSrc: 'frame-src',
  childSrc: 'child-src',
  workerSrc: 'worker-src',
  manifestSrc: 'manifest-src',
  baseUri: 'base-uri',
  formAction: 'form-action',
  frameAncestors: 'frame-ancestors',
  sandbox: 'sandbox',
  reportTo: 'report-to',
  reportUri: 'report-uri',
  requireTrustedTypesFor: 'require-trusted-types-for',
  trustedTypes: 'trusted-types',
  upgradeInsecureRequests: 'upgrade-insecure-requests',
}

const listSchema = v.union(
  [v.literal(false), v.array(v.string())],
  'Expected a list of strings, one source per item, or false',
)

/** The valibot schema of {@link CspDirectives}: its shape only; {@link checkCspDirectives} checks the values. */
export const cspDirectivesSchema = v.strictObject(
  Object.fromEntries(
    (Object.keys(directiveNames) as DirectiveKey[]).map((key) => {
      if (key === 'upgradeInsecureRequests') return [key, v.optional(v.boolean())]
      if (key === 'sandbox')
        return [
          key,
          v.optional(
            v.union([v.boolean(), v.array(v.string())], 'Expected a boolean or a list of sandbox flags'),
          ),
        ]
      if (key === 'reportTo')
        return [
          key,
          v.optional(v.union([v.literal(false), v.string()], 'Expected an endpoint name or false')),
        ]
      return [key, v.optional(listSchema)]
    }),
  ) as Record<DirectiveKey, v.OptionalSchema<v.GenericSchema, undefined>>,
)

// One source expression: printable ASCII without the space, ',' and ';' that separate sources,
// policies and directives, so a value can never smuggle in a directive of its own.
const sourceExpression = /^[\x21-\x2b\x2d-\x3a\x3c-\x7e]+$/
const keywords = new Set([
  'self',
  'none',
  'unsafe-inline',
  'unsafe-eval',
  'unsafe-hashes',
  'unsafe-allow-redirects',
  'strict-dynamic',
  'report-sample',
  'wasm-unsafe-eval',
  'inline-speculation-rules',
  'nonce',
])
const sandboxFlag = /^allow-[a-z-]+$/
const hashSource = /^'sha(?:256|384|512)-[A-Za-z0-9+/_-]+={0,2}'$/

function valueProblem(key: DirectiveKey, value: string): string | undefined {
  if (!sourceExpression.test(value))
    return `${JSON.stringify(value)} is not one value: give each its own array item, without spaces, ',' or ';'.`
  if (key === 'requireTrustedTypesFor')
    return value === "'script'" ? undefined : `the only value is "'script'".`
  if (key === 'reportUri' || key === 'trustedTypes') return undefined
  if (keywords.has(value.toLowerCase()))
    return `CSP keywords are written in single quotes: use "'${value}'" (an unquoted ${value} names a host).`
  if (/^'nonce-/i.test(value))
    return `a fixed nonce is the same on every response, which defeats it. Write nonceSource ("'nonce'") and read each response's nonce from outcome.facts.cspNonce.`
  if (value.startsWith("'") && !keywords.has(value.slice(1, -1).toLowerCase()) && !hashSource.test(value))
    return `${value} is not a CSP keyword or hash, and browsers would ignore it. Quoted values are keywords such as "'self'", "'none'", "'strict-dynamic'", or hashes such as "'sha256-…'".`
  return undefined
}

/**
 * Checks directive values beyond their shape and throws a `SecConfigError` at `path.<directive>[i]`
 * for a source that is not one expression, an unquoted keyword, a fixed nonce, an empty list or
 * `'none'` next to other sources.
 */
export function checkCspDirectives(path: string, directives: CspDirectives): void {
  for (const key of Object.keys(directives) as DirectiveKey[]) {
    const value = directives[key]
    const at = `${path}.${key}`
    if (typeof value === 'string') {
      if (!isToken(value)) configError(at, 'must be the name of a reporting endpoint, a token such as "csp".')
      continue
    }
    if (!Array.isArray(value)) continue
    if (key === 'sandbox') {
      value.forEach((flag, i) => {
        if (!sandboxFlag.test(flag))
          configError(
            `${at}[${i}]`,
            `must be a sandbox flag such as 'allow-scripts'; got ${JSON.stringify(flag)}.`,
          )
      })
      continue
    }
    if (value.length === 0)
      configError(at, `is empty: write ["'none'"] to allow nothing, or false to leave the directive out.`)
    value.forEach((item, i) => {
      const problem = valueProblem(key, item)
      if (problem !== undefined) configError(`${at}[${i}]`, problem)
    })
    if (value.length > 1 && value.includes("'none'"))
      configError(at, `"'none'" is ignored next to other sources: keep either "'none'" alone or the sources.`)
  }
}

/**
 * Checks a policy written as a string: a valid header value, and no fixed nonce (write `'nonce'`
 * where the per-request nonce goes).
 */
export function checkCspString(path: string, policy: string): void {
  if (!isHeaderValue(policy)) configError(path, `${headerValueMessage}.`)
  if (/'nonce-/i.test(policy))
    configError(
      path,
      `a fixed nonce is the same on every response, which defeats it. Write 'nonce' where the nonce goes and read each response's nonce from outcome.facts.cspNonce.`,
    )
}

/** Merges directives over a base policy and serializes them, keeping the base's directive order. */
export function serializeCsp(base: CspDirectives, overrides?: CspDirectives): string {
  const merged: CspDirectives = { ...base, ...overrides }
  const parts: string[] = []
  for (const key of Object.keys(merged) as DirectiveKey[]) {
    const value = merged[key]
    if (value === undefined || value === false) continue
    const name = directiveNames[key]
    if (value === true) parts.push(name)
    else if (typeof value === 'string') parts.push(`${name} ${value}`)
    else parts.push(value.length === 0 ? name : `${name} ${value.join(' ')}`)
  }
  return parts.join('; ')
}
