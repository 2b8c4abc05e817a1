import { SignatureBaseError } from './message-signature-errors.js'
import { parseSfItem } from './parse-structured-field.js'
import { serializeSfItem } from './serialize-structured-field.js'
import type { SfItem, SfParameters, StructuredFieldType } from './structured-fields.js'

/** A covered component: an HTTP field (`content-type`) or a derived component (`@path`), with its parameters. */
export interface ComponentIdentifier {
  /** The component name: a lower-case field name, or `@` and a derived component's name. */
  readonly name: string
  /** Its parameters, in the order written (`sf`, `key`, `bs`, `req`, `name`). */
  readonly params: SfParameters
  /** As written in `Signature-Input` and the signature base, e.g. `"@query-param";name="id"`. */
  readonly serialized: string
  /** The name with its parameters sorted, so that `;req;sf` and `;sf;req` compare equal. */
  readonly canonical: string
  /** The identifier as a structured item, for `Signature-Input`. */
  readonly item: SfItem
}

/** The derived components of RFC 9421 §2.2 (`@signature-params` is added by the signer, never listed). */
const derivedComponentNames: ReadonlySet<string> = new Set([
  '@method',
  '@target-uri',
  '@authority',
  '@scheme',
  '@request-target',
  '@path',
  '@query',
  '@query-param',
  '@status',
])

/**
 * Structured fields whose type is known, so `;sf` can re-serialize them: the signature and digest
 * fields (RFC 9421, RFC 9530), `Priority` (RFC 9218), `Cache-Status` (RFC 9211), `Proxy-Status`
 * (RFC 9209), `CDN-Cache-Control` (RFC 9213), `Client-Cert` and `Client-Cert-Chain` (RFC 9440),
 * and the cross-origin isolation fields of HTML.
 */
export const knownStructuredFields: ReadonlyMap<string, StructuredFieldType> = new Map<
  string,
  StructuredFieldType
>([
  ['signature', 'dictionary'],
  ['signature-input', 'dictionary'],
  ['accept-signature', 'dictionary'],
  ['content-digest', 'dictionary'],
  ['repr-digest', 'dictionary'],
  ['want-content-digest', 'dictionary'],
  ['want-repr-digest', 'dictionary'],
  ['priority', 'dictionary'],
  ['cache-status', 'list'],
  ['proxy-status', 'list'],
  ['cdn-cache-control', 'dictionary'],
  ['client-cert', 'item'],
  ['client-cert-chain', 'list'],
  ['cross-origin-embedder-policy', 'item'],
  ['cross-origin-opener-policy', 'item'],
])

const fieldName = /^[!#$%&'*+\-.^_`|~0-9a-z]+$/

function unsupported(message: string): never {
  throw new SignatureBaseError('unsupported', message)
}

function isTrue(params: SfParameters, key: string): boolean {
  const value = params.get(key)
  if (value === undefined) return false
  if (value.type !== 'boolean' || !value.value) unsupported(`The ;${key} parameter takes no value.`)
  return true
}

function checkDerived(name: string, params: SfParameters): void {
  if (!derivedComponentNames.has(name))
    unsupported(`${JSON.stringify(name)} is not a derived component of RFC 9421.`)
  for (const key of params.keys())
    if (key !== 'req' && !(key === 'name' && name === '@query-param'))
      unsupported(`The ;${key} parameter does not apply to ${name}.`)
  isTrue(params, 'req')
  if (name === '@status' && params.has('req')) unsupported('@status cannot be taken from the request.')
  if (name === '@query-param') {
    const parameterName = params.get('name')
    if (parameterName?.type !== 'string') unsupported('@query-param needs a ;name="…" string parameter.')
  }
}

function checkField(
  name: string,
  params: SfParameters,
  structuredFields: ReadonlyMap<string, StructuredFieldType>,
): void {
  if (!fieldName.test(name)) unsupported(`${JSON.stringify(name)} is not a lower-case field name.`)
  for (const key of params.keys()) {
    if (key === 'tr') unsupported('Trailer fields (;tr) are not supported.')
    if (key !== 'sf' && key !== 'key' && key !== 'bs' && key !== 'req')
      unsupported(`The ;${key} parameter is not a field component parameter.`)
  }
  const sf = isTrue(params, 'sf')
  const bs = isTrue(params, 'bs')
  isTrue(params, 'req')
  const key = params.get('key')
  if (key !== undefined && key.type !== 'string') unsupported('The ;key parameter must be a string.')
  if (bs && (sf || key !== undefined)) unsupported(';bs cannot be combined with ;sf or ;key.')
  if (sf && key === undefined && !structuredFields.has(name))
    unsupported(
      `${name} is not a known structured field: declare its type in structuredFields to sign it with ;sf.`,
    )
}

/**
 * Checks a component identifier from `Signature-Input` (or built by the signer). Throws
 * {@link SignatureBaseError} (`unsupported`) for anything RFC 9421 does not define or this does
 * not support.
 */
export function componentIdentifier(
  item: SfItem,
  structuredFields: ReadonlyMap<string, StructuredFieldType>,
): ComponentIdentifier {
  if (item.value.type !== 'string') unsupported('A component identifier must be a string.')
  const name = item.value.value
  if (name === '@signature-params') unsupported('@signature-params cannot be listed as a covered component.')
  if (name.startsWith('@')) checkDerived(name, item.params)
  else checkField(name, item.params, structuredFields)
  const serialized = serializeSfItem(item)
  const sorted = new Map([...item.params].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
  const canonical = item.params.size < 2 ? serialized : serializeSfItem({ ...item, params: sorted })
  return { name, params: item.params, serialized, canonical, item }
}

const writtenName = /^@?[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/

/**
 * A component identifier as a signer or a verifier's policy writes it: a name with optional
 * parameters in structured-field syntax, quotes optional — `@method`, `Content-Type`,
 * `@query-param;name="id"`, `example-dict;key="a"`, `"@authority";req`. Field names are
 * lower-cased. Throws {@link SignatureBaseError} (`unsupported`) when it is not one.
 */
export function parseComponentText(
  text: string,
  structuredFields: ReadonlyMap<string, StructuredFieldType>,
): ComponentIdentifier {
  let item: SfItem
  try {
    if (text.startsWith('"')) item = parseSfItem(text)
    else {
      const semicolon = text.indexOf(';')
      const name = semicolon === -1 ? text : text.slice(0, semicolon)
      if (!writtenName.test(name)) unsupported(`${JSON.stringify(text)} is not a component identifier.`)
      item = parseSfItem(`"${name.toLowerCase()}"${semicolon === -1 ? '' : text.slice(semicolon)}`)
    }
  } catch (error) {
    if (error instanceof SignatureBaseError) throw error
    return unsupported(`${JSON.stringify(text)} is not a component identifier.`)
  }
  return componentIdentifier(item, structuredFields)
}
