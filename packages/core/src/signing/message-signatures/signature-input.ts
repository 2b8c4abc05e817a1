import { type ComponentIdentifier, componentIdentifier } from './component-identifier.js'
import { MessageSignatureError, SignatureBaseError } from './message-signature-errors.js'
import { parseSfDictionary } from './parse-structured-field.js'
import { serializeSfInnerList } from './serialize-structured-field.js'
import type { SfBareItem, SfDictionary, StructuredFieldType } from './structured-fields.js'

/** The most signatures one message may carry; more is refused as malformed rather than verified one by one. */
export const maxSignaturesPerMessage = 8

/** The longest `nonce` accepted, in characters, so a nonce store never keeps unbounded keys. */
export const maxNonceLength = 256

/** One signature of a message, read from `Signature-Input` and `Signature`. */
export interface SignatureCandidate {
  readonly label: string
  readonly components: readonly ComponentIdentifier[]
  /** The serialized `Signature-Input` member: the `@signature-params` value. */
  readonly signatureParams: string
  readonly created: number | undefined
  readonly expires: number | undefined
  readonly nonce: string | undefined
  readonly alg: string | undefined
  readonly keyId: string | undefined
  readonly tag: string | undefined
  readonly signature: Uint8Array<ArrayBuffer>
}

/** The two signature fields of a message, parsed. */
export interface SignatureFields {
  readonly inputs: SfDictionary
  readonly signatures: SfDictionary
}

function malformed(message: string, label?: string): never {
  throw new MessageSignatureError('malformed', message, label)
}

function parseField(name: string, value: string): SfDictionary {
  let dictionary: SfDictionary
  try {
    dictionary = parseSfDictionary(value, { rejectDuplicateKeys: true })
  } catch {
    return malformed(`The ${name} header is not a valid structured dictionary, or repeats a label.`)
  }
  if (dictionary.size > maxSignaturesPerMessage)
    malformed(`The ${name} header holds more than ${maxSignaturesPerMessage} signatures.`)
  return dictionary
}

/**
 * Parses `Signature-Input` and `Signature` (each with repeated lines already joined by `", "`).
 * Throws {@link MessageSignatureError}: `missing-header` when one is absent or empty, `malformed`
 * when one is not a dictionary, repeats a label or holds too many signatures.
 */
export function parseSignatureFields(input: string | null, signature: string | null): SignatureFields {
  if (input === null || signature === null)
    throw new MessageSignatureError(
      'missing-header',
      'The message has no Signature-Input or no Signature header.',
    )
  const inputs = parseField('Signature-Input', input)
  const signatures = parseField('Signature', signature)
  if (inputs.size === 0 || signatures.size === 0)
    throw new MessageSignatureError('missing-header', 'The Signature-Input or Signature header is empty.')
  return { inputs, signatures }
}

/** The labels to try, in order: the given label only, and only signatures with the given tag. */
export function candidateLabels(
  fields: SignatureFields,
  label: string | undefined,
  tag: string | undefined,
): string[] {
  const labels: string[] = []
  for (const [name, member] of fields.inputs) {
    if (label !== undefined && name !== label) continue
    if (tag !== undefined) {
      const value = member.params.get('tag')
      if (value?.type !== 'string' || value.value !== tag) continue
    }
    labels.push(name)
  }
  return labels
}

function integerParam(value: SfBareItem | undefined, name: string, label: string): number | undefined {
  if (value === undefined) return undefined
  if (value.type !== 'integer') malformed(`The ${name} parameter of ${label} is not an integer.`, label)
  return value.value
}

function stringParam(value: SfBareItem | undefined, name: string, label: string): string | undefined {
  if (value === undefined) return undefined
  if (value.type !== 'string') malformed(`The ${name} parameter of ${label} is not a string.`, label)
  return value.value
}

/**
 * Reads one signature: its covered components (each checked), its parameters (`created` and
 * `expires` integers; `nonce`, `alg`, `keyid`, `tag` strings; others are kept in the signed
 * parameters and otherwise ignored) and its signature bytes. Throws {@link MessageSignatureError}
 * (`malformed`).
 */
export function readCandidate(
  fields: SignatureFields,
  label: string,
  structuredFields: ReadonlyMap<string, StructuredFieldType>,
): SignatureCandidate {
  const input = fields.inputs.get(label)
  if (input?.kind !== 'inner-list')
    return malformed(`The Signature-Input of ${label} is not an inner list.`, label)
  const signature = fields.signatures.get(label)
  if (signature?.kind !== 'item' || signature.value.type !== 'byte-sequence')
    return malformed(`The Signature header has no byte sequence for ${label}.`, label)
  const components: ComponentIdentifier[] = []
  const seen = new Set<string>()
  for (const item of input.items) {
    let id: ComponentIdentifier
    try {
      id = componentIdentifier(item, structuredFields)
    } catch (error) {
      if (error instanceof SignatureBaseError) return malformed(`${label}: ${error.message}`, label)
      throw error
    }
    if (seen.has(id.canonical)) malformed(`${label} lists ${id.serialized} twice.`, label)
    seen.add(id.canonical)
    components.push(id)
  }
  const params = input.params
  const nonce = stringParam(params.get('nonce'), 'nonce', label)
  if (nonce !== undefined && nonce.length > maxNonceLength)
    malformed(`The nonce of ${label} is longer than ${maxNonceLength} characters.`, label)
  return {
    label,
    components,
    signatureParams: serializeSfInnerList(input),
    created: integerParam(params.get('created'), 'created', label),
    expires: integerParam(params.get('expires'), 'expires', label),
    nonce,
    alg: stringParam(params.get('alg'), 'alg', label),
    keyId: stringParam(params.get('keyid'), 'keyid', label),
    tag: stringParam(params.get('tag'), 'tag', label),
    signature: new Uint8Array(signature.value.value),
  }
}
