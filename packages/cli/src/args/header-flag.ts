import { hasNoControlCharacter } from '../http/field-value.js'
import { usageError } from './usage-error.js'

/** A header field line: name (as typed) and value. */
export type HeaderLine = readonly [name: string, value: string]

const fieldName = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/

/**
 * Parses a `--header` value, `Name: value` as curl takes it (spaces around the value are not part
 * of it). The name must be an HTTP token and the value free of control characters, so nothing
 * signed can differ from what is sent.
 */
export function parseHeaderFlag(text: string, flag = '--header'): HeaderLine {
  const colon = text.indexOf(':')
  if (colon <= 0) usageError(`${flag} must be 'Name: value'`)
  const name = text.slice(0, colon)
  const value = text.slice(colon + 1).replace(/^[ \t]+|[ \t]+$/g, '')
  if (!fieldName.test(name)) usageError(`${flag} has a name that is not an HTTP field name: '${name}'`)
  if (!hasNoControlCharacter(value)) usageError(`${flag} ${name} has a control character in its value`)
  return [name, value]
}
