import * as v from 'valibot'
import { configError, parseOptions } from '../config/index.js'
import { type ByteSize, parseByteSize } from './byte-size.js'
import type { JsonLimits } from './json-parse.js'

/**
 * A media type {@link body} can parse:
 * - `application/json`, or one `application/<name>+json` such as `application/merge-patch+json`,
 *   or `application/*+json` for every `+json` type: parsed as JSON;
 * - `application/x-www-form-urlencoded`: parsed into a {@link FieldRecord};
 * - `text/plain`: the text as a string.
 */
export type BodyMediaType =
  | 'application/json'
  | 'application/*+json'
  | `application/${string}+json`
  | 'application/x-www-form-urlencoded'
  | 'text/plain'

/** Options of {@link body}. */
export interface BodyOptions {
  /**
   * The largest body accepted, in bytes or as a string such as `'64kb'` (1 kb = 1024 bytes). A
   * larger body is refused with 413 `body-too-large` without reading past the limit.
   * Default: the `bodyLimit` given to `createSecurity` (1 MiB unless changed).
   */
  readonly limit?: ByteSize
  /**
   * The media types accepted, matched on `type/subtype` without case; parameters are ignored
   * except `charset`, which must be absent or `utf-8`. Anything else is refused with 415
   * `unsupported-media-type`, as is a non-empty body without `Content-Type`. An empty list
   * accepts only empty bodies. Default: `['application/json']`.
   */
  readonly types?: readonly BodyMediaType[]
  /**
   * The methods whose body is read and parsed. Other methods pass untouched, their body unread
   * and `input.body` left `undefined`: a body on GET, HEAD or DELETE has no defined meaning (RFC
   * 9110 section 9.3), so no handler should act on one. Default: `['POST', 'PUT', 'PATCH']`.
   */
  readonly methods?: readonly string[]
  /**
   * The deepest nesting of JSON objects and arrays (`{}` is 1). Deeper documents are refused with
   * 400 `json-too-complex` before any value is built. 1 to 1000. Default: `32`.
   */
  readonly maxDepth?: number
  /**
   * The most JSON object keys in the whole document, or form fields in the whole form; more is
   * refused with 400 `json-too-complex`. Default: `1000`.
   */
  readonly maxKeys?: number
  /**
   * The most JSON array items in the whole document; more is refused with 400
   * `json-too-complex`. It bounds the objects one small body can make the server allocate.
   * Default: `10000`.
   */
  readonly maxItems?: number
}

/** How the body of an accepted media type is parsed. */
export type BodyKind = 'json' | 'form' | 'text'

/** {@link BodyOptions} normalized once, at construction. */
export interface BodySettings {
  readonly limit: number | undefined
  readonly methods: ReadonlySet<string>
  readonly types: ReadonlyMap<string, BodyKind>
  /** Whether `application/*+json` was listed. */
  readonly anyJsonSuffix: boolean
  /** The accepted types, for the 415 problem's detail. */
  readonly accepted: readonly string[]
  readonly json: JsonLimits
}

const methodPattern = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/
const jsonSuffixPattern = /^application\/[!#$%&'*.^_`|~0-9a-z-]+\+json$/

const integerIn = (min: number, max: number) =>
  v.optional(v.pipe(v.number(), v.integer(), v.minValue(min), v.maxValue(max)))

const optionsSchema = v.strictObject({
  limit: v.optional(v.union([v.number(), v.string()], 'Expected bytes as a number or a string like 64kb')),
  types: v.optional(v.array(v.string())),
  methods: v.optional(
    v.array(v.pipe(v.string(), v.regex(methodPattern, 'Expected an HTTP method such as POST'))),
  ),
  maxDepth: integerIn(1, 1000),
  maxKeys: integerIn(0, Number.MAX_SAFE_INTEGER),
  maxItems: integerIn(0, Number.MAX_SAFE_INTEGER),
})

function kindOf(type: string): BodyKind | undefined {
  if (type === 'application/json' || jsonSuffixPattern.test(type)) return 'json'
  if (type === 'application/x-www-form-urlencoded') return 'form'
  if (type === 'text/plain') return 'text'
  return undefined
}

/** Checks and normalizes {@link BodyOptions}; `where` names the factory in error paths. */
export function bodySettings(where: string, options: BodyOptions | undefined): BodySettings {
  const parsed = parseOptions(where, optionsSchema, options)
  const types = new Map<string, BodyKind>()
  let anyJsonSuffix = false
  const list = parsed.types ?? ['application/json']
  for (const [index, type] of list.entries()) {
    const lower = type.toLowerCase()
    const kind = kindOf(lower)
    if (lower === 'application/*+json') anyJsonSuffix = true
    else if (kind === undefined) {
      configError(
        `${where}.types[${index}]`,
        `${JSON.stringify(type)} is not a type body() parses. Use application/json, application/<name>+json, application/*+json, application/x-www-form-urlencoded or text/plain, and read other bodies with ctx.body().`,
      )
    } else types.set(lower, kind)
  }
  return {
    limit: parsed.limit === undefined ? undefined : parseByteSize(`${where}.limit`, parsed.limit),
    methods: new Set((parsed.methods ?? ['POST', 'PUT', 'PATCH']).map((method) => method.toUpperCase())),
    types,
    anyJsonSuffix,
    accepted: list.map((type) => type.toLowerCase()),
    json: {
      maxDepth: parsed.maxDepth ?? 32,
      maxKeys: parsed.maxKeys ?? 1000,
      maxItems: parsed.maxItems ?? 10_000,
    },
  }
}
