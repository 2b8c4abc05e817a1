import { encodeBase64 } from './base64.js'
import {
  isSfKey,
  type SfBareItem,
  type SfDictionary,
  type SfInnerList,
  type SfItem,
  type SfList,
  type SfMember,
  type SfParameters,
  StructuredFieldError,
} from './structured-fields.js'

const maxInteger = 999_999_999_999_999
const tokenPattern = /^[A-Za-z*][!#$%&'*+\-.^_`|~0-9A-Za-z:/]*$/

function serializeInteger(value: number): string {
  if (!Number.isInteger(value) || value < -maxInteger || value > maxInteger)
    throw new StructuredFieldError(`Cannot serialize ${value} as a structured Integer.`)
  return String(value === 0 ? 0 : value)
}

function serializeDecimal(value: number): string {
  const thousandths = Math.round(Math.abs(value) * 1000)
  const whole = Math.floor(thousandths / 1000)
  if (!Number.isFinite(value) || whole > 999_999_999_999)
    throw new StructuredFieldError(`Cannot serialize ${value} as a structured Decimal.`)
  const fraction = String(thousandths % 1000)
    .padStart(3, '0')
    .replace(/0{1,2}$/, '')
  return `${value < 0 && thousandths !== 0 ? '-' : ''}${whole}.${fraction}`
}

function serializeString(value: string): string {
  let out = '"'
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i)
    if (c < 0x20 || c > 0x7e) throw new StructuredFieldError('Cannot serialize a non-printable string.')
    if (c === 0x22 || c === 0x5c) out += '\\'
    out += value[i]
  }
  return `${out}"`
}

/** Serializes a bare item (RFC 8941 §4.1.3.1). Throws {@link StructuredFieldError} for values out of range. */
export function serializeSfBareItem(item: SfBareItem): string {
  switch (item.type) {
    case 'integer':
      return serializeInteger(item.value)
    case 'decimal':
      return serializeDecimal(item.value)
    case 'string':
      return serializeString(item.value)
    case 'token':
      if (!tokenPattern.test(item.value))
        throw new StructuredFieldError('Cannot serialize an invalid structured Token.')
      return item.value
    case 'byte-sequence':
      return `:${encodeBase64(item.value)}:`
    case 'boolean':
      return item.value ? '?1' : '?0'
  }
}

function serializeKey(key: string): string {
  if (!isSfKey(key)) throw new StructuredFieldError(`Cannot serialize the key ${JSON.stringify(key)}.`)
  return key
}

/** Serializes parameters: `;key` for `true`, else `;key=value`. */
export function serializeSfParameters(params: SfParameters): string {
  let out = ''
  for (const [key, value] of params) {
    out += `;${serializeKey(key)}`
    if (value.type !== 'boolean' || !value.value) out += `=${serializeSfBareItem(value)}`
  }
  return out
}

/** Serializes an item with its parameters. */
export function serializeSfItem(item: SfItem): string {
  return serializeSfBareItem(item.value) + serializeSfParameters(item.params)
}

/** Serializes an inner list with its parameters: `("a" "b");p=1`. */
export function serializeSfInnerList(list: SfInnerList): string {
  return `(${list.items.map(serializeSfItem).join(' ')})${serializeSfParameters(list.params)}`
}

/** Serializes a list or dictionary member. */
export function serializeSfMember(member: SfMember): string {
  return member.kind === 'item' ? serializeSfItem(member) : serializeSfInnerList(member)
}

/** Serializes a List (RFC 8941 §4.1.1). */
export function serializeSfList(list: SfList): string {
  return list.map(serializeSfMember).join(', ')
}

/** Serializes a Dictionary (RFC 8941 §4.1.2); a member whose value is `true` is written as its key alone. */
export function serializeSfDictionary(dictionary: SfDictionary): string {
  const out: string[] = []
  for (const [key, member] of dictionary) {
    if (member.kind === 'item' && member.value.type === 'boolean' && member.value.value)
      out.push(serializeKey(key) + serializeSfParameters(member.params))
    else out.push(`${serializeKey(key)}=${serializeSfMember(member)}`)
  }
  return out.join(', ')
}
