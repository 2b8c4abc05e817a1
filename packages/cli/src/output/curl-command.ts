import type { HeaderLine } from '../args/header-flag.js'
import { shellQuote } from './shell-quote.js'

/** The body of a curl command: a file curl reads itself, or text to send as written. */
export type CurlBody = { readonly file: string } | { readonly text: string } | undefined

/** What a curl command sends. */
export interface CurlRequest {
  readonly method: string
  readonly url: string
  /** Every header to send, in order: the user's, then the signing ones. */
  readonly headers: readonly HeaderLine[]
  readonly body: CurlBody
}

/**
 * A curl command line, one option per line: `--data-binary @file` sends a file's bytes exactly,
 * `--data-raw` inline text without curl reading `@` as a file name, `--globoff` keeps `[]{}` in
 * the URL from being expanded, `Name;` sends an empty header, and `--head` replaces `-X HEAD` (with which curl waits for a body).
 */
export function curlCommand(request: CurlRequest): string {
  const parts: string[] = []
  const { method, body } = request
  if (method === 'HEAD') parts.push('--head')
  else if (method !== (body === undefined ? 'GET' : 'POST')) parts.push(`-X ${shellQuote(method)}`)
  if (/[[\]{}]/.test(request.url)) parts.push('--globoff')
  parts.push(shellQuote(request.url))
  // curl reads `Name:` as "remove this header" and `Name;` as "send it empty".
  for (const [name, value] of request.headers)
    parts.push(`-H ${shellQuote(value === '' ? `${name};` : `${name}: ${value}`)}`)
  if (body !== undefined)
    parts.push(
      'file' in body ? `--data-binary ${shellQuote(`@${body.file}`)}` : `--data-raw ${shellQuote(body.text)}`,
    )
  return `curl ${parts.join(' \\\n  ')}\n`
}
