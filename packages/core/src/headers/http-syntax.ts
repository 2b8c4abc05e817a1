const token = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
const fieldValue = /^[\x21-\x7e\x80-\xff](?:[\t\x20-\x7e\x80-\xff]*[\x21-\x7e\x80-\xff])?$/

/** Whether `value` is an RFC 9110 token: a method or a header name. */
export function isToken(value: string): boolean {
  return token.test(value)
}

/**
 * Whether `value` can be sent as a header value exactly as written: not empty, no control
 * characters (a CR or LF would split the response), no leading or trailing whitespace (which
 * `Headers` would silently strip), nothing outside Latin-1 (which `Headers` refuses at request time).
 */
export function isHeaderValue(value: string): boolean {
  return fieldValue.test(value)
}

/** The message of a configuration error for a string that {@link isHeaderValue} refuses. */
export const headerValueMessage =
  'Expected a non-empty header value of printable characters, without CR, LF or other control characters and without surrounding spaces; use false to leave the header out'
