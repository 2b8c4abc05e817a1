import * as v from 'valibot'
import { configError } from '../../config/index.js'
import type { Clock } from '../../pipeline/index.js'
import {
  type ComponentIdentifier,
  knownStructuredFields,
  parseComponentText,
} from './component-identifier.js'
import { SignatureBaseError } from './message-signature-errors.js'
import { isSfKey, isSfString, type StructuredFieldType } from './structured-fields.js'

/** A signature label: a structured-field key such as `sig1`. */
export const labelSchema = v.pipe(
  v.string(),
  v.check(
    isSfKey,
    'Expected a label of lower-case letters, digits, "_", "-", "." or "*", starting with a letter or "*", such as sig1',
  ),
)

/** A parameter sent as a structured string: printable ASCII. */
export const sfStringSchema = v.pipe(
  v.string(),
  v.check(isSfString, 'Expected printable ASCII (no control characters or non-ASCII letters)'),
)

/** A `{ now() }` clock. */
export const clockSchema = v.custom<Clock>(
  (x) => typeof (x as Clock | null)?.now === 'function',
  'Expected { now(): number }',
)

/** The `structuredFields` option: field names to their structured type. */
export const structuredFieldsSchema = v.record(
  v.string(),
  v.picklist(['item', 'list', 'dictionary'], "Expected 'item', 'list' or 'dictionary'"),
)

/** The known structured fields plus the ones an option declares, checked. */
export function resolveStructuredFields(
  where: string,
  declared: Readonly<Record<string, StructuredFieldType>> | undefined,
): ReadonlyMap<string, StructuredFieldType> {
  if (declared === undefined) return knownStructuredFields
  const fields = new Map(knownStructuredFields)
  for (const [name, type] of Object.entries(declared)) {
    if (!/^[!#$%&'*+\-.^_`|~0-9a-z]+$/.test(name))
      configError(`${where}.${name}`, 'must be a lower-case field name, e.g. example-dict.')
    fields.set(name, type)
  }
  return fields
}

/** Component identifiers written as options, checked one by one; a repeated one is refused. */
export function resolveComponents(
  where: string,
  texts: readonly string[],
  structuredFields: ReadonlyMap<string, StructuredFieldType>,
): ComponentIdentifier[] {
  const seen = new Set<string>()
  return texts.map((text, i) => {
    let id: ComponentIdentifier
    try {
      id = parseComponentText(text, structuredFields)
    } catch (error) {
      if (error instanceof SignatureBaseError) return configError(`${where}[${i}]`, error.message)
      throw error
    }
    if (seen.has(id.canonical)) configError(`${where}[${i}]`, `lists ${id.serialized} a second time.`)
    seen.add(id.canonical)
    return id
  })
}
