import type { Guard, GuardContext } from '../pipeline/index.js'
import { type BodyKind, type BodyOptions, type BodySettings, bodySettings } from './body-options.js'
import { unsupportedMediaType } from './body-problems.js'
import { decodeUtf8 } from './decode-utf8.js'
import { parseFormText } from './form-parse.js'
import { parseJsonText } from './json-parse.js'
import { parseMediaType } from './media-type.js'

/** Set on a request once a body guard has parsed (or deliberately skipped) its body. */
export const bodyParsedKey: unique symbol = Symbol('sec.body.parsed')

/** Reads, checks and parses the body into `ctx.input.body`; `undefined` when there is nothing to wait for. */
export type BodyReader = (ctx: GuardContext) => Promise<void> | undefined

function parse(kind: BodyKind, bytes: Uint8Array, settings: BodySettings): unknown {
  const text = decodeUtf8(bytes)
  if (kind === 'json') return parseJsonText(text, settings.json)
  if (kind === 'form') return parseFormText(text, settings.json.maxKeys)
  return text
}

/** Builds the body reader that {@link body} runs, and that `validate()` runs when no body guard did. */
export function createBodyReader(where: string, options: BodyOptions | undefined): BodyReader {
  const settings = bodySettings(where, options)
  const { limit, methods, types, anyJsonSuffix } = settings
  const detail =
    settings.accepted.length === 0
      ? 'This endpoint accepts no request body.'
      : `Send the body as ${settings.accepted.join(' or ')}.`
  // RFC 5789 section 2.2: a 415 to a PATCH says which patch formats the resource takes.
  const concreteTypes = settings.accepted.filter((type) => !type.includes('*'))
  const patchHeaders = concreteTypes.length === 0 ? undefined : { 'accept-patch': concreteTypes.join(', ') }

  function refuse(ctx: GuardContext, why: string): never {
    throw unsupportedMediaType(why, ctx.request.method === 'PATCH' ? patchHeaders : undefined)
  }

  // Nearly every request to a route sends the same Content-Type: the last accepted one is kept
  // (one string, so a client sending a new one each time costs only the parse it would anyway).
  let lastHeader: string | undefined
  let lastKind: BodyKind | undefined

  function mediaKind(ctx: GuardContext, header: string): BodyKind {
    if (header === lastHeader) return lastKind as BodyKind
    const kind = acceptedKind(ctx, header)
    lastHeader = header
    lastKind = kind
    return kind
  }

  function acceptedKind(ctx: GuardContext, header: string): BodyKind {
    const media = parseMediaType(header)
    if (media === undefined) return refuse(ctx, detail)
    const { essence } = media
    const kind =
      types.get(essence) ??
      (anyJsonSuffix && essence.startsWith('application/') && essence.endsWith('+json') ? 'json' : undefined)
    if (kind === undefined) return refuse(ctx, detail)
    if (media.charset !== undefined && media.charset !== 'utf-8')
      return refuse(ctx, 'Send the body encoded as UTF-8.')
    return kind
  }

  return (ctx) => {
    if (!methods.has(ctx.request.method)) {
      ctx.setLocal(bodyParsedKey, true)
      return undefined
    }
    const header = ctx.request.headers.get('content-type')
    // A present media type is checked before reading, so a body refused for it is never read.
    const kind = header === null ? undefined : mediaKind(ctx, header)
    return ctx.body(limit).then((bytes) => {
      if (bytes.byteLength === 0) ctx.input.body = undefined
      else if (kind === undefined) refuse(ctx, detail)
      else {
        const value = parse(kind, bytes, settings)
        ctx.input.body = value
        if (kind === 'json') ctx.request.parsedJson?.(value, bytes)
      }
      ctx.setLocal(bodyParsedKey, true)
    })
  }
}

/**
 * Reads the request body once, within a size limit, and parses it into `input.body` (also
 * `outcome.body`): JSON by default, optionally `+json` types, forms and plain text.
 *
 * Refuses, with a problem and before any handler runs: a body over the limit (413), a media type
 * or charset not listed, or a non-empty body without `Content-Type` (415), bytes that are not
 * strict UTF-8 (400 `invalid-utf8`), malformed JSON (400 `malformed-json`, never quoting the
 * parser), the keys `__proto__`, `constructor` and `prototype` at any depth (400
 * `forbidden-json-key`), a key repeated in one object (400 `duplicate-json-key`), and documents
 * past `maxDepth`, `maxKeys` or `maxItems` (400 `json-too-complex`).
 *
 * An empty body is no body: `input.body` stays `undefined` (the `Content-Type`, when present, must
 * still be listed), and a `validate({ body })` schema decides whether that is allowed. A leading UTF-8 byte order mark is
 * ignored. Forms give a {@link FieldRecord}: repeated names become arrays, names stay flat.
 *
 * @example
 * secure.route(body({ limit: '64kb', types: ['application/json', 'application/merge-patch+json'] }), handler)
 */
export function body(options?: BodyOptions): Guard {
  const read = createBodyReader('body', options)
  return { name: 'body', check: read }
}
