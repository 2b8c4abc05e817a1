import { forbiddenKey, type InputLocation, tooComplex } from './body-problems.js'
import { decodeUtf8 } from './decode-utf8.js'
import { pointerSegment } from './json-pointer.js'
import { isForbiddenKey } from './key-rules.js'

/** Fields of a form or query string: one value as a string, a repeated field as an array in order. */
export type FieldRecord = Record<string, string | string[]>

const escapeRun = /(?:%[0-9A-Fa-f]{2})+/g

function decodeEscapeRun(run: string): string {
  const bytes = new Uint8Array(run.length / 3)
  for (let k = 0; k < bytes.length; k++) bytes[k] = Number.parseInt(run.slice(k * 3 + 1, k * 3 + 3), 16)
  return decodeUtf8(bytes, 'A percent-encoded form field is not valid UTF-8.')
}

// As the WHATWG urlencoded parser, except that escaped bytes must be UTF-8 instead of becoming
// U+FFFD. A `%` not followed by two hex digits stays as it is, as browsers and URLSearchParams do.
function decodeComponent(text: string): string {
  const spaced = text.includes('+') ? text.replaceAll('+', ' ') : text
  return spaced.includes('%') ? spaced.replace(escapeRun, decodeEscapeRun) : spaced
}

/**
 * Collects name/value pairs into an object: a repeated name becomes an array of its values in
 * order, `__proto__`, `constructor` and `prototype` are refused (400 `forbidden-json-key`) and
 * more than `maxFields` pairs are refused (400 `json-too-complex`).
 */
export function fieldsToRecord(
  pairs: Iterable<readonly [string, string]>,
  location: InputLocation,
  maxFields: number,
): FieldRecord {
  const record: FieldRecord = {}
  let count = 0
  for (const [name, value] of pairs) {
    if (++count > maxFields) throw tooComplex(`The ${location} has more than ${maxFields} fields.`)
    if (isForbiddenKey(name)) throw forbiddenKey(location, `/${pointerSegment(name)}`, name)
    // hasOwn, not `in`: `toString` and friends are inherited, not fields already seen.
    if (!Object.hasOwn(record, name)) {
      record[name] = value
      continue
    }
    const existing = record[name] as string | string[]
    if (typeof existing === 'string') record[name] = [existing, value]
    else existing.push(value)
  }
  return record
}

function* formPairs(text: string): Generator<readonly [string, string]> {
  for (const part of text.split('&')) {
    if (part === '') continue
    const equals = part.indexOf('=')
    yield equals === -1
      ? [decodeComponent(part), '']
      : [decodeComponent(part.slice(0, equals)), decodeComponent(part.slice(equals + 1))]
  }
}

/**
 * Parses an `application/x-www-form-urlencoded` body (already decoded as UTF-8). Names are
 * literal: `a[b]=1` is the field `a[b]`, never a nested object.
 */
export function parseFormText(text: string, maxFields: number): FieldRecord {
  return fieldsToRecord(formPairs(text), 'body', maxFields)
}
