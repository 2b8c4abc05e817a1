import type { ResponseHeaders } from '../pipeline/index.js'

/**
 * Makes a function that adds `tokens` to a response's `Vary` header: it keeps what other code put
 * there, adds no token twice (case-insensitively), and leaves `Vary: *` alone. The common case, no
 * `Vary` yet, costs one `set` of a string joined once here.
 */
export function createVaryAppender(tokens: readonly string[]): (headers: ResponseHeaders) => void {
  const joined = tokens.join(', ')
  const lowerTokens = tokens.map((token) => token.toLowerCase())
  return (headers) => {
    const current = headers.get('vary')
    if (current === null || current === '') {
      headers.set('vary', joined)
      return
    }
    const present = current.split(',').map((token) => token.trim().toLowerCase())
    if (present.includes('*')) return
    let value = current
    for (let i = 0; i < tokens.length; i++) {
      if (!present.includes(lowerTokens[i] as string)) value += `, ${tokens[i] as string}`
    }
    if (value !== current) headers.set('vary', value)
  }
}
