import { isToken } from '../headers/http-syntax.js'

const outerWhitespace = /^[ \t]+|[ \t]+$/g

/**
 * Parses a list of header names such as `Access-Control-Request-Headers`: tokens separated by
 * commas, with optional spaces and tabs around them. Empty elements (`a, ,b`) are skipped, as
 * RFC 9110 section 5.6.1 asks of recipients. Returns the names lower-cased, or `undefined` when an
 * element is not a token.
 */
export function parseFieldNames(value: string): string[] | undefined {
  const names: string[] = []
  for (const element of value.split(',')) {
    const name = element.replace(outerWhitespace, '')
    if (name === '') continue
    if (!isToken(name)) return undefined
    names.push(name.toLowerCase())
  }
  return names
}
