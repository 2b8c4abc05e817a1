/** The parameters of one RFC 7239 `Forwarded` element that @sec uses; others (`by`, extensions) are ignored. */
export interface ForwardedElement {
  /** The `for` node: an address, `unknown`, or an obfuscated `_id`, with an optional port. */
  readonly for: string | undefined
  /** The `proto` the proxy received the request with. */
  readonly proto: string | undefined
  /** The `host` the proxy received the request for. */
  readonly host: string | undefined
}

const QUOTE = 0x22
const BACKSLASH = 0x5c
const COMMA = 0x2c
const SEMICOLON = 0x3b
const SPACE = 0x20
const TAB = 0x09

/** tchar of RFC 9110: the characters of a parameter name. */
const tokenChars = /^[!#$%&'*+.^_`|~0-9a-z-]+$/i

function isSpace(code: number): boolean {
  return code === SPACE || code === TAB
}

/**
 * Where the element of `Forwarded` ending at `end` starts: the index of the comma before it, or -1.
 * Given to `ListFromRight` so a comma inside a quoted string does not split; quotes are matched
 * scanning leftwards, so an unbalanced quote the client wrote on the left can never swallow the
 * elements the proxies appended on its right.
 */
export function forwardedSeparator(text: string, end: number): number {
  let i = end - 1
  let quoted = false
  for (; i >= 0; i--) {
    const code = text.charCodeAt(i)
    if (code === QUOTE) {
      if (!quoted) quoted = true
      else {
        let slashes = 0
        while (i - 1 - slashes >= 0 && text.charCodeAt(i - 1 - slashes) === BACKSLASH) slashes++
        if (slashes % 2 === 0) quoted = false
      }
    } else if (code === COMMA && !quoted) break
  }
  return i
}

/** Reads a quoted-string starting at `start` (the opening quote); returns the value and the index after it. */
function readQuoted(text: string, start: number): [string, number] | undefined {
  let value = ''
  for (let i = start + 1; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code === QUOTE) return [value, i + 1]
    if (code === BACKSLASH) {
      i++
      if (i >= text.length) return undefined
    } else if ((code < SPACE && code !== TAB) || code === 0x7f) return undefined
    value += text[i]
  }
  return undefined
}

/**
 * Parses one element: `for=192.0.2.60;proto=http;by=203.0.113.43`, with quoted values such as
 * `for="[2001:db8:cafe::17]:4711"`. Returns `undefined` for a malformed element (bad syntax, a
 * parameter given twice). Unquoted values may hold any visible character but `"`, `;` and `,`, so a
 * proxy that forgets to quote an IPv6 address is still understood.
 */
export function parseForwardedElement(text: string): ForwardedElement | undefined {
  let forValue: string | undefined
  let proto: string | undefined
  let host: string | undefined
  const seen: string[] = []
  let i = 0
  const length = text.length
  while (i < length) {
    while (i < length && isSpace(text.charCodeAt(i))) i++
    if (i >= length) break
    if (text.charCodeAt(i) === SEMICOLON) {
      i++
      continue
    }
    const equals = text.indexOf('=', i)
    if (equals === -1) return undefined
    const name = text.slice(i, equals).toLowerCase()
    if (!tokenChars.test(name) || seen.includes(name)) return undefined
    seen.push(name)
    i = equals + 1
    let value: string
    if (text.charCodeAt(i) === QUOTE) {
      const quoted = readQuoted(text, i)
      if (quoted === undefined) return undefined
      ;[value, i] = quoted
    } else {
      const start = i
      while (i < length) {
        const code = text.charCodeAt(i)
        if (code <= SPACE || code === SEMICOLON || code === QUOTE || code === COMMA || code >= 0x7f) break
        i++
      }
      if (i === start) return undefined
      value = text.slice(start, i)
    }
    while (i < length && isSpace(text.charCodeAt(i))) i++
    if (i < length && text.charCodeAt(i) !== SEMICOLON) return undefined
    if (name === 'for') forValue = value
    else if (name === 'proto') proto = value
    else if (name === 'host') host = value
  }
  return { for: forValue, proto, host }
}
