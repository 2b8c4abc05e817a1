import { encodeBase64 } from './base64.js'
import type { ComponentIdentifier } from './component-identifier.js'
import type { MessageParts } from './http-message.js'
import { SignatureBaseError } from './message-signature-errors.js'
import { parseSfDictionary, parseSfItem, parseSfList } from './parse-structured-field.js'
import {
  serializeSfDictionary,
  serializeSfItem,
  serializeSfList,
  serializeSfMember,
} from './serialize-structured-field.js'
import type { SfMember, StructuredFieldType } from './structured-fields.js'

const encoder = new TextEncoder()
const hex = '0123456789ABCDEF'

function unsupported(message: string): never {
  throw new SignatureBaseError('unsupported', message)
}

function absent(message: string): never {
  throw new SignatureBaseError('absent', message)
}

/**
 * The "percent-encode after encoding" of the application/x-www-form-urlencoded serializer, with a
 * space as `%20` (RFC 9421 §2.2.8): ASCII letters, digits and `*-._` stay, every other UTF-8 byte
 * becomes `%XX`.
 */
export function encodeQueryComponent(text: string): string {
  let out = ''
  for (const byte of encoder.encode(text)) {
    if (
      (byte >= 0x30 && byte <= 0x39) ||
      (byte >= 0x41 && byte <= 0x5a) ||
      (byte >= 0x61 && byte <= 0x7a) ||
      byte === 0x2a ||
      byte === 0x2d ||
      byte === 0x2e ||
      byte === 0x5f
    )
      out += String.fromCharCode(byte)
    else out += `%${hex[byte >> 4]}${hex[byte & 15]}`
  }
  return out
}

function trimOws(line: string): string {
  let start = 0
  let end = line.length
  while (start < end && (line.charCodeAt(start) === 0x20 || line.charCodeAt(start) === 0x09)) start++
  while (end > start && (line.charCodeAt(end - 1) === 0x20 || line.charCodeAt(end - 1) === 0x09)) end--
  return start === 0 && end === line.length ? line : line.slice(start, end)
}

function fieldLines(message: MessageParts, name: string): readonly string[] {
  const all = message.headers.getAll?.(name)
  if (all !== undefined) {
    if (all.length === 0) absent(`The message has no ${name} field.`)
    return all.map(trimOws)
  }
  const value = message.headers.get(name)
  if (value === null) absent(`The message has no ${name} field.`)
  return [trimOws(value)]
}

function structuredValue(name: string, value: string, type: StructuredFieldType | undefined): string {
  try {
    if (type === 'dictionary') return serializeSfDictionary(parseSfDictionary(value))
    if (type === 'list') return serializeSfList(parseSfList(value))
    if (type === 'item') return serializeSfItem(parseSfItem(value))
  } catch {
    return absent(`The ${name} field is not a valid structured ${type}.`)
  }
  return unsupported(`${name} is not a known structured field.`)
}

function fieldValue(
  id: ComponentIdentifier,
  message: MessageParts,
  structuredFields: ReadonlyMap<string, StructuredFieldType>,
): string {
  const lines = fieldLines(message, id.name)
  if (id.params.has('bs')) {
    return lines
      .map((line) => {
        const bytes = new Uint8Array(line.length)
        for (let i = 0; i < line.length; i++) {
          const c = line.charCodeAt(i)
          if (c > 0xff) unsupported(`The ${id.name} field holds a character above U+00FF.`)
          bytes[i] = c
        }
        return `:${encodeBase64(bytes)}:`
      })
      .join(', ')
  }
  const joined = lines.join(', ')
  const key = id.params.get('key')
  if (key?.type === 'string') {
    let member: SfMember | undefined
    try {
      member = parseSfDictionary(joined).get(key.value)
    } catch {
      return absent(`The ${id.name} field is not a valid structured dictionary.`)
    }
    if (member === undefined) absent(`The ${id.name} dictionary has no member ${JSON.stringify(key.value)}.`)
    return serializeSfMember(member)
  }
  if (id.params.has('sf')) return structuredValue(id.name, joined, structuredFields.get(id.name))
  return joined
}

function known(value: string | undefined, what: string): string {
  if (value === undefined) absent(`The request's ${what} is unknown.`)
  return value
}

function derivedValues(id: ComponentIdentifier, message: MessageParts): readonly string[] {
  if (id.name === '@status') {
    if (message.kind !== 'response') unsupported('@status applies to responses only.')
    const status = message.status ?? 0
    if (!Number.isInteger(status) || status < 100 || status > 999)
      absent('The response status is not three digits.')
    return [String(status)]
  }
  if (message.kind !== 'request')
    unsupported(`${id.name} applies to requests: add ;req to take it from the request of this response.`)
  const target = known(message.target, 'target')
  const question = target.indexOf('?')
  switch (id.name) {
    case '@method':
      return [known(message.method, 'method')]
    case '@target-uri':
      return [`${known(message.scheme, 'scheme')}://${known(message.authority, 'authority')}${target}`]
    case '@authority':
      return [known(message.authority, 'authority')]
    case '@scheme':
      return [known(message.scheme, 'scheme')]
    case '@request-target':
      return [target]
    case '@path': {
      const path = question === -1 ? target : target.slice(0, question)
      return [path === '' ? '/' : path]
    }
    case '@query':
      return [question === -1 ? '?' : target.slice(question)]
    default: {
      const wanted = id.params.get('name')
      const values: string[] = []
      if (wanted?.type === 'string' && question !== -1)
        for (const [name, value] of new URLSearchParams(target.slice(question + 1)))
          if (encodeQueryComponent(name) === wanted.value) values.push(encodeQueryComponent(value))
      if (values.length === 0) absent(`The query has no parameter ${JSON.stringify(wanted?.value)}.`)
      return values
    }
  }
}

/**
 * The values of one covered component (RFC 9421 §2.1, §2.2): one per signature base line, several
 * only for a query parameter that occurs more than once. A field's lines are trimmed and joined
 * with `", "`. Throws {@link SignatureBaseError}.
 */
export function componentValues(
  id: ComponentIdentifier,
  message: MessageParts,
  request: MessageParts | undefined,
  structuredFields: ReadonlyMap<string, StructuredFieldType>,
): readonly string[] {
  let source = message
  if (id.params.has('req')) {
    if (message.kind !== 'response') unsupported(';req applies to the components of a response only.')
    if (request === undefined) absent(`${id.serialized} needs the request this response answers.`)
    source = request
  }
  return id.name.startsWith('@') ? derivedValues(id, source) : [fieldValue(id, source, structuredFields)]
}
