import type { HeaderLine } from '../args/header-flag.js'
import { hasNoControlCharacter } from './field-value.js'

/** A request as saved in a file: request line, header lines, a blank line, the body. */
export interface SavedRequest {
  /** The method, as written (`GET`). */
  readonly method: string
  /** The request target in origin form: the path and optional query, as written. */
  readonly target: string
  /** The header lines in order; obs-folded continuations joined with one space. */
  readonly headers: readonly HeaderLine[]
  /** The body bytes: `Content-Length` of them when the header is there, else all that follow. */
  readonly body: Uint8Array
}

/** The outcome of {@link parseSavedRequest}: the request, or why the file is not one (one line). */
export type SavedRequestResult =
  | { readonly ok: true; readonly request: SavedRequest }
  | { readonly ok: false; readonly problem: string }

const token = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/
const version = /^HTTP\/\d(?:\.\d)?$/
const lf = 0x0a
const cr = 0x0d
const utf8 = new TextDecoder('utf-8', { fatal: true })

const fail = (problem: string): SavedRequestResult => ({ ok: false, problem })

/** Where the head ends and the body starts: after the first empty line (LF or CRLF endings). */
function splitHead(bytes: Uint8Array): { head: Uint8Array; body: Uint8Array } {
  let lineStart = 0
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] !== lf) continue
    const length = i - lineStart
    if (length === 0 || (length === 1 && bytes[lineStart] === cr))
      return { head: bytes.subarray(0, lineStart), body: bytes.subarray(i + 1) }
    lineStart = i + 1
  }
  return { head: bytes, body: bytes.subarray(bytes.length) }
}

function isLineBreaks(bytes: Uint8Array): boolean {
  for (const byte of bytes) if (byte !== lf && byte !== cr) return false
  return true
}

function parseHeaders(lines: readonly string[]): HeaderLine[] | string {
  const headers: [string, string][] = []
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string
    const at = `line ${i + 2}`
    if (line.startsWith(' ') || line.startsWith('\t')) {
      const last = headers.at(-1)
      if (last === undefined) return `${at} is indented, but there is no header line before it to continue`
      last[1] = `${last[1]} ${line.trim()}`
      continue
    }
    const colon = line.indexOf(':')
    if (colon <= 0) return `${at} is not a header field (Name: value)`
    const name = line.slice(0, colon)
    if (!token.test(name)) return `${at} has a header name that is not an HTTP token`
    const value = line.slice(colon + 1).replace(/^[ \t]+|[ \t]+$/g, '')
    if (!hasNoControlCharacter(value)) return `${at} has a control character in its value`
    headers.push([name, value])
  }
  return headers
}

function valuesOf(headers: readonly HeaderLine[], lower: string): string[] {
  const values: string[] = []
  for (const [name, value] of headers) if (name.toLowerCase() === lower) values.push(value)
  return values
}

function sizeBody(headers: readonly HeaderLine[], rest: Uint8Array): Uint8Array | string {
  if (valuesOf(headers, 'transfer-encoding').length > 0)
    return 'Transfer-Encoding bodies are not supported: save the request with its decoded body and a Content-Length'
  const lengths = new Set(valuesOf(headers, 'content-length'))
  if (lengths.size === 0) return rest
  const [declared = ''] = lengths
  if (lengths.size > 1 || !/^\d{1,15}$/.test(declared)) return 'Content-Length must be one whole number'
  const length = Number(declared)
  if (rest.length < length)
    return `the body has ${rest.length} bytes, fewer than its Content-Length of ${length}`
  // An editor may end the file with a newline after the body; anything else is not this request.
  if (!isLineBreaks(rest.subarray(length)))
    return `the body has ${rest.length} bytes, more than its Content-Length of ${length}`
  return rest.subarray(0, length)
}

/**
 * Parses a saved HTTP/1.x request: the request line (`POST /v1/notes?x=1 HTTP/1.1`; the target in
 * origin form, spaces allowed as the AWS test suite writes them), header lines (`Name: value`,
 * continuation lines folded), an empty line, then the body, byte for byte. LF or CRLF line endings.
 * Never throws: whatever the bytes, it answers a request or a one-line problem.
 */
export function parseSavedRequest(bytes: Uint8Array): SavedRequestResult {
  const { head, body } = splitHead(bytes)
  let text: string
  try {
    text = utf8.decode(head)
  } catch {
    return fail('the request line and headers are not UTF-8 text')
  }
  const lines = text.split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line))
  if (lines.at(-1) === '') lines.pop()
  const [requestLine = '', ...headerLines] = lines
  if (requestLine.trim() === '')
    return fail('the file does not start with a request line (METHOD /path HTTP/1.1)')
  const first = requestLine.indexOf(' ')
  const last = requestLine.lastIndexOf(' ')
  const method = requestLine.slice(0, first)
  const target = requestLine.slice(first + 1, last)
  if (first <= 0 || last <= first || !token.test(method) || !version.test(requestLine.slice(last + 1)))
    return fail('line 1 is not a request line (METHOD /path HTTP/1.1)')
  if (!target.startsWith('/') || !hasNoControlCharacter(target))
    return fail('line 1 has a request target that is not a path (/path?query)')
  const headers = parseHeaders(headerLines)
  if (typeof headers === 'string') return fail(headers)
  const sized = sizeBody(headers, body)
  if (typeof sized === 'string') return fail(sized)
  return { ok: true, request: { method, target, headers, body: sized } }
}
