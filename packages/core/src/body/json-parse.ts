import { duplicateKey, forbiddenKey, invalidUtf8, malformedJson, tooComplex } from './body-problems.js'
import { hasLoneSurrogate } from './decode-utf8.js'
import { jsonPointer, pointerSegment } from './json-pointer.js'
import { isForbiddenKey } from './key-rules.js'

/** Limits on the shape of one JSON document, counted over the whole document. */
export interface JsonLimits {
  /** The deepest nesting of objects and arrays; `{}` is depth 1. */
  readonly maxDepth: number
  /** The most object keys, all objects together. */
  readonly maxKeys: number
  /** The most array items, all arrays together. */
  readonly maxItems: number
}

const OBJECT = 1
const ARRAY = 2

// What the scanner expects next.
const VALUE = 0
const FIRST_VALUE = 1
const FIRST_KEY = 2
const KEY = 3
const COLON = 4
const NEXT = 5
const DONE = 6

const QUOTE = 34
const BACKSLASH = 92

// Only escapes of U+D800..U+DFFF can produce a lone surrogate from strictly decoded text.
const escapedSurrogate = /\\u[dD][89a-fA-F]/

// Characters of numbers and of true/false/null; JSON.parse checks their exact spelling.
function isAtomChar(c: number): boolean {
  return (
    (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 43 || c === 45 || c === 46
  )
}

/**
 * Parses JSON text from an untrusted source. One scan over the text checks the structure,
 * the limits, and every key before `JSON.parse` builds the value, so a nesting bomb is refused
 * at its limit and no later recursive walk can overflow the stack.
 *
 * Throws a `SecProblemError` (400): `malformed-json`, `json-too-complex`, `forbidden-json-key`
 * (`__proto__`, `constructor`, `prototype` at any depth), `duplicate-json-key`, or `invalid-utf8`
 * for an escaped lone surrogate. Problems name the key's JSON pointer, never a value.
 */
export function parseJsonText(text: string, limits: JsonLimits): unknown {
  scanJson(text, limits)
  try {
    return JSON.parse(text)
  } catch {
    throw malformedJson()
  }
}

// The index of the quote closing the string that opens at `start`, or -1. A quote preceded by an
// odd run of backslashes is escaped, and the search goes on.
function closingQuote(text: string, start: number): number {
  let quote = text.indexOf('"', start + 1)
  while (quote !== -1) {
    let before = quote - 1
    while (text.charCodeAt(before) === BACKSLASH) before--
    if ((quote - 1 - before) % 2 === 0) return quote
    quote = text.indexOf('"', quote + 1)
  }
  return -1
}

// The keys of one object, to find a repeated one. A linear search beats hashing for the few keys
// of a typical object; past a handful, a Set keeps large objects linear.
class ObjectKeys {
  readonly #few: string[] = []
  #many: Set<string> | undefined = undefined

  clear(): void {
    this.#few.length = 0
    this.#many = undefined
  }

  /** Adds the key; false when the object already had it. */
  add(key: string): boolean {
    const many = this.#many
    if (many !== undefined) {
      if (many.has(key)) return false
      many.add(key)
      return true
    }
    const few = this.#few
    for (let k = 0; k < few.length; k++) if (few[k] === key) return false
    if (few.length < 16) few.push(key)
    else this.#many = new Set([...few, key])
    return true
  }
}

function decodeString(text: string, start: number, end: number): string {
  let decoded: unknown
  try {
    decoded = JSON.parse(text.slice(start, end + 1))
  } catch {
    throw malformedJson()
  }
  if (hasLoneSurrogate(decoded as string))
    throw invalidUtf8('The body escapes a lone surrogate, which UTF-8 cannot encode.')
  return decoded as string
}

function scanJson(text: string, limits: JsonLimits): void {
  const { maxDepth, maxKeys, maxItems } = limits
  const length = text.length
  const kinds: number[] = []
  const segments: (string | number)[] = []
  const objectKeys: ObjectKeys[] = []
  let depth = 0
  let keys = 0
  let items = 0
  let state = VALUE
  // The next backslash at or after the current string; searched forward only, so the scan stays linear.
  let nextEscape = text.indexOf('\\')
  let i = 0
  while (i < length) {
    const c = text.charCodeAt(i)
    if (c === 32 || c === 10 || c === 13 || c === 9) {
      i++
      continue
    }
    if (state === NEXT) {
      const kind = kinds[depth - 1]
      i++
      if (c === 44) state = kind === OBJECT ? KEY : VALUE
      else if ((c === 125 && kind === OBJECT) || (c === 93 && kind === ARRAY)) {
        depth--
        state = depth === 0 ? DONE : NEXT
      } else throw malformedJson()
      continue
    }
    if (state === COLON) {
      if (c !== 58) throw malformedJson()
      state = VALUE
      i++
      continue
    }
    if (state === FIRST_KEY || state === KEY) {
      if (c === 125 && state === FIRST_KEY) {
        depth--
        state = depth === 0 ? DONE : NEXT
        i++
        continue
      }
      if (c !== QUOTE) throw malformedJson()
      if (nextEscape !== -1 && nextEscape < i) nextEscape = text.indexOf('\\', i)
      const end = closingQuote(text, i)
      if (end === -1) throw malformedJson()
      const key = nextEscape !== -1 && nextEscape < end ? decodeString(text, i, end) : text.slice(i + 1, end)
      if (++keys > maxKeys) throw tooComplex(`The JSON has more than ${maxKeys} object keys.`)
      const level = depth - 1
      if (isForbiddenKey(key) || !(objectKeys[level] as ObjectKeys).add(key)) {
        const pointer = `${jsonPointer(segments, level)}/${pointerSegment(key)}`
        throw isForbiddenKey(key) ? forbiddenKey('body', pointer, key) : duplicateKey('body', pointer)
      }
      segments[level] = key
      state = COLON
      i = end + 1
      continue
    }
    if (state === DONE) throw malformedJson()
    // A value, or the end of an empty array.
    if (state === FIRST_VALUE && c === 93) {
      depth--
      state = depth === 0 ? DONE : NEXT
      i++
      continue
    }
    if (depth > 0 && kinds[depth - 1] === ARRAY) {
      if (++items > maxItems) throw tooComplex(`The JSON has more than ${maxItems} array items.`)
      segments[depth - 1] = (segments[depth - 1] as number) + 1
    }
    if (c === 123 || c === 91) {
      if (depth >= maxDepth) throw tooComplex(`The JSON nests deeper than ${maxDepth} levels.`)
      if (c === 91) {
        kinds[depth] = ARRAY
        segments[depth] = -1
        state = FIRST_VALUE
      } else {
        kinds[depth] = OBJECT
        const keysHere = objectKeys[depth]
        if (keysHere === undefined) objectKeys[depth] = new ObjectKeys()
        else keysHere.clear()
        state = FIRST_KEY
      }
      depth++
      i++
      continue
    }
    if (c === QUOTE) {
      if (nextEscape !== -1 && nextEscape < i) nextEscape = text.indexOf('\\', i)
      const end = closingQuote(text, i)
      if (end === -1) throw malformedJson()
      if (nextEscape !== -1 && nextEscape < end && escapedSurrogate.test(text.slice(i, end)))
        decodeString(text, i, end)
      i = end + 1
    } else {
      const start = i
      while (i < length && isAtomChar(text.charCodeAt(i))) i++
      if (i === start) throw malformedJson()
    }
    state = depth === 0 ? DONE : NEXT
  }
  if (state !== DONE) throw malformedJson()
}
