import { decodeBase64 } from './base64.js'
import {
  type SfBareItem,
  type SfDictionary,
  type SfInnerList,
  type SfItem,
  type SfList,
  type SfMember,
  type SfParameters,
  StructuredFieldError,
} from './structured-fields.js'

/** Options of {@link parseSfDictionary}. */
export interface ParseDictionaryOptions {
  /**
   * Refuse a key that appears twice rather than keep its last value as RFC 8941 says: for fields
   * such as `Signature-Input`, where two members of one name mean a forged or a confused message.
   * Default: `false`.
   */
  readonly rejectDuplicateKeys?: boolean
}

const SP = 0x20
const HTAB = 0x09
const DQUOTE = 0x22
const BACKSLASH = 0x5c

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39
}

function isAlpha(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)
}

function isLcAlpha(c: number): boolean {
  return c >= 0x61 && c <= 0x7a
}

/** RFC 9110 tchar, plus `:` and `/` that sf-tokens also allow. */
function isTokenChar(c: number): boolean {
  if (isAlpha(c) || isDigit(c)) return true
  switch (c) {
    case 0x21: // !
    case 0x23: // #
    case 0x24: // $
    case 0x25: // %
    case 0x26: // &
    case 0x27: // '
    case 0x2a: // *
    case 0x2b: // +
    case 0x2d: // -
    case 0x2e: // .
    case 0x5e: // ^
    case 0x5f: // _
    case 0x60: // `
    case 0x7c: // |
    case 0x7e: // ~
    case 0x3a: // :
    case 0x2f: // /
      return true
    default:
      return false
  }
}

function isKeyChar(c: number): boolean {
  return isLcAlpha(c) || isDigit(c) || c === 0x5f || c === 0x2d || c === 0x2e || c === 0x2a
}

/** A cursor over the field value; every parse step advances `i` and never moves back. */
class Input {
  readonly text: string
  i = 0
  constructor(text: string) {
    this.text = text
  }
  get done(): boolean {
    return this.i >= this.text.length
  }
  peek(): number {
    return this.i < this.text.length ? this.text.charCodeAt(this.i) : -1
  }
  skipSpaces(): void {
    while (this.peek() === SP) this.i++
  }
  skipOws(): void {
    let c = this.peek()
    while (c === SP || c === HTAB) {
      this.i++
      c = this.peek()
    }
  }
  fail(what: string): never {
    throw new StructuredFieldError(`Invalid structured field: ${what} at offset ${this.i}.`)
  }
}

function start(text: string): Input {
  for (let i = 0; i < text.length; i++)
    if (text.charCodeAt(i) > 0x7f) throw new StructuredFieldError('Invalid structured field: not ASCII.')
  const input = new Input(text)
  input.skipSpaces()
  return input
}

function finish(input: Input): void {
  input.skipSpaces()
  if (!input.done) input.fail('unexpected character')
}

function parseKey(input: Input): string {
  const first = input.peek()
  if (!isLcAlpha(first) && first !== 0x2a) input.fail('expected a key')
  const from = input.i
  input.i++
  while (isKeyChar(input.peek())) input.i++
  return input.text.slice(from, input.i)
}

function parseNumber(input: Input): SfBareItem {
  let sign = 1
  if (input.peek() === 0x2d) {
    sign = -1
    input.i++
  }
  if (!isDigit(input.peek())) input.fail('expected a digit')
  const from = input.i
  let dot = -1
  for (;;) {
    const c = input.peek()
    if (isDigit(c)) input.i++
    else if (c === 0x2e && dot === -1) {
      if (input.i - from > 12) input.fail('a decimal with more than 12 integer digits')
      dot = input.i
      input.i++
    } else break
    if (dot === -1 && input.i - from > 15) input.fail('an integer with more than 15 digits')
    if (dot !== -1 && input.i - from > 16) input.fail('a decimal with too many digits')
  }
  const digits = input.text.slice(from, input.i)
  if (dot === -1) {
    const value = sign * Number(digits)
    return { type: 'integer', value: value === 0 ? 0 : value }
  }
  const fraction = input.i - dot - 1
  if (fraction === 0) input.fail('a decimal ending with "."')
  if (fraction > 3) input.fail('a decimal with more than 3 fractional digits')
  const value = sign * Number(digits)
  return { type: 'decimal', value: value === 0 ? 0 : value }
}

function parseString(input: Input): SfBareItem {
  input.i++
  let out = ''
  let from = input.i
  for (;;) {
    const c = input.peek()
    if (c === -1) input.fail('an unterminated string')
    if (c === DQUOTE) {
      out += input.text.slice(from, input.i)
      input.i++
      return { type: 'string', value: out }
    }
    if (c === BACKSLASH) {
      out += input.text.slice(from, input.i)
      input.i++
      const next = input.peek()
      if (next !== DQUOTE && next !== BACKSLASH) input.fail('an invalid escape')
      out += String.fromCharCode(next)
      input.i++
      from = input.i
      continue
    }
    if (c < 0x20 || c > 0x7e) input.fail('a control character in a string')
    input.i++
  }
}

function parseToken(input: Input): SfBareItem {
  const from = input.i
  input.i++
  while (isTokenChar(input.peek())) input.i++
  return { type: 'token', value: input.text.slice(from, input.i) }
}

function parseByteSequence(input: Input): SfBareItem {
  input.i++
  const end = input.text.indexOf(':', input.i)
  if (end === -1) input.fail('an unterminated byte sequence')
  const bytes = decodeBase64(input.text.slice(input.i, end))
  if (bytes === undefined) input.fail('a byte sequence that is not base64')
  input.i = end + 1
  return { type: 'byte-sequence', value: bytes }
}

function parseBoolean(input: Input): SfBareItem {
  input.i++
  const c = input.peek()
  if (c !== 0x30 && c !== 0x31) input.fail('a boolean other than ?0 or ?1')
  input.i++
  return { type: 'boolean', value: c === 0x31 }
}

function parseBareItem(input: Input): SfBareItem {
  const c = input.peek()
  if (c === 0x2d || isDigit(c)) return parseNumber(input)
  if (c === DQUOTE) return parseString(input)
  if (c === 0x2a || isAlpha(c)) return parseToken(input)
  if (c === 0x3a) return parseByteSequence(input)
  if (c === 0x3f) return parseBoolean(input)
  return input.fail('expected an item')
}

const emptyParams: SfParameters = new Map()

function parseParameters(input: Input): SfParameters {
  if (input.peek() !== 0x3b) return emptyParams
  const params = new Map<string, SfBareItem>()
  while (input.peek() === 0x3b) {
    input.i++
    input.skipSpaces()
    const key = parseKey(input)
    let value: SfBareItem = { type: 'boolean', value: true }
    if (input.peek() === 0x3d) {
      input.i++
      value = parseBareItem(input)
    }
    params.set(key, value)
  }
  return params
}

function parseItemAt(input: Input): SfItem {
  const value = parseBareItem(input)
  return { kind: 'item', value, params: parseParameters(input) }
}

function parseInnerList(input: Input): SfInnerList {
  input.i++
  const items: SfItem[] = []
  for (;;) {
    input.skipSpaces()
    if (input.peek() === 0x29) {
      input.i++
      return { kind: 'inner-list', items, params: parseParameters(input) }
    }
    items.push(parseItemAt(input))
    const c = input.peek()
    if (c !== SP && c !== 0x29) input.fail('expected a space or ")" in an inner list')
  }
}

function parseMember(input: Input): SfMember {
  return input.peek() === 0x28 ? parseInnerList(input) : parseItemAt(input)
}

/** Consumes the `,` between members; `false` at the end of the input. */
function nextMember(input: Input): boolean {
  input.skipOws()
  if (input.done) return false
  if (input.peek() !== 0x2c) input.fail('expected ","')
  input.i++
  input.skipOws()
  if (input.done) input.fail('a trailing ","')
  return true
}

/** Parses a structured Item (RFC 8941 §4.2). Throws {@link StructuredFieldError}. */
export function parseSfItem(text: string): SfItem {
  const input = start(text)
  const item = parseItemAt(input)
  finish(input)
  return item
}

/** Parses a structured List (RFC 8941 §4.2.1); an empty value is an empty list. */
export function parseSfList(text: string): SfList {
  const input = start(text)
  const members: SfMember[] = []
  if (input.done) return members
  do members.push(parseMember(input))
  while (nextMember(input))
  return members
}

/** Parses a structured Dictionary (RFC 8941 §4.2.2); an empty value is an empty dictionary. */
export function parseSfDictionary(text: string, options?: ParseDictionaryOptions): SfDictionary {
  const input = start(text)
  const members = new Map<string, SfMember>()
  if (input.done) return members
  do {
    const key = parseKey(input)
    if (options?.rejectDuplicateKeys === true && members.has(key)) input.fail(`a repeated key "${key}"`)
    let member: SfMember
    if (input.peek() === 0x3d) {
      input.i++
      member = parseMember(input)
    } else {
      member = { kind: 'item', value: { type: 'boolean', value: true }, params: parseParameters(input) }
    }
    members.set(key, member)
  } while (nextMember(input))
  return members
}
