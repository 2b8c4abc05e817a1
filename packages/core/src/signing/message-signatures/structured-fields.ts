import { SecError } from '../../errors/index.js'

/** A bare item of an RFC 8941 structured field, tagged with its type so it serializes back exactly. */
export type SfBareItem =
  | { readonly type: 'integer'; readonly value: number }
  | { readonly type: 'decimal'; readonly value: number }
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'token'; readonly value: string }
  | { readonly type: 'byte-sequence'; readonly value: Uint8Array }
  | { readonly type: 'boolean'; readonly value: boolean }

/** Parameters, in order. A repeated key keeps its first position and its last value (RFC 8941 §4.2.3.2). */
export type SfParameters = ReadonlyMap<string, SfBareItem>

/** An item with its parameters. */
export interface SfItem {
  readonly kind: 'item'
  readonly value: SfBareItem
  readonly params: SfParameters
}

/** An inner list: `(a b c);p=1`. */
export interface SfInnerList {
  readonly kind: 'inner-list'
  readonly items: readonly SfItem[]
  readonly params: SfParameters
}

/** A member of a list or a dictionary. */
export type SfMember = SfItem | SfInnerList

/** A structured List. */
export type SfList = readonly SfMember[]

/** A structured Dictionary, in order. */
export type SfDictionary = ReadonlyMap<string, SfMember>

/** The top-level type of a structured field. */
export type StructuredFieldType = 'item' | 'list' | 'dictionary'

/** Thrown when a value is not a valid structured field, or cannot be serialized as one. */
export class StructuredFieldError extends SecError {
  constructor(message: string) {
    super('SEC_STRUCTURED_FIELD', message)
  }
}

/** Whether `name` is a structured field key: `lcalpha / "*"` then `lcalpha / DIGIT / "_" / "-" / "." / "*"`. */
export function isSfKey(name: string): boolean {
  return /^[a-z*][a-z0-9_\-.*]*$/.test(name)
}

/** Whether `text` can be an sf-string: printable ASCII (escapes are added when serializing). */
export function isSfString(text: string): boolean {
  return /^[\x20-\x7e]*$/.test(text)
}

/** A `String` bare item. */
export function sfString(value: string): SfBareItem {
  return { type: 'string', value }
}

/** An `Integer` bare item. */
export function sfInteger(value: number): SfBareItem {
  return { type: 'integer', value }
}
