import type { ConformanceResponse } from '../client/send-request.js'
import { correlationIdPlaceholder, type HeaderMap } from './expected.js'

/**
 * Headers that legitimately differ between frameworks or between runs: they describe the
 * connection or the transfer, not the answer.
 */
export const ignoredHeaders: readonly string[] = [
  'date',
  'connection',
  'keep-alive',
  'content-length',
  'transfer-encoding',
  'etag',
]

/** A response reduced to what must be identical on every adapter for the same request. */
export interface NormalizedResponse {
  readonly status: number
  /** Every header but {@link ignoredHeaders}, by lower-case name. */
  readonly headers: HeaderMap
  /** The body, with a version 4 UUID `correlationId` replaced by `<correlation-id>`. */
  readonly body: string
}

const correlationId = /"correlationId":"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"/g

/** How to normalize a response beyond the fixed rules. */
export interface NormalizeOptions {
  /** `Vary` tokens the framework adds to every response on its own; removed (case-insensitive). Default: none. */
  readonly frameworkVaryTokens?: readonly string[]
}

function withoutTokens(vary: string, tokens: readonly string[]): string | undefined {
  const kept = vary
    .split(',')
    .map((token) => token.trim())
    .filter((token) => token !== '' && !tokens.includes(token.toLowerCase()))
  return kept.length === 0 ? undefined : kept.join(', ')
}

/** Reduces a response to its {@link NormalizedResponse}. */
export function normalizeResponse(
  response: ConformanceResponse,
  options: NormalizeOptions = {},
): NormalizedResponse {
  const tokens = (options.frameworkVaryTokens ?? []).map((token) => token.toLowerCase())
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(response.headers)) {
    if (ignoredHeaders.includes(name)) continue
    if (name === 'vary' && tokens.length > 0) {
      const vary = withoutTokens(value, tokens)
      if (vary !== undefined) headers[name] = vary
      continue
    }
    headers[name] = value
  }
  return {
    status: response.status,
    headers,
    body: response.body.replace(correlationId, `"correlationId":"${correlationIdPlaceholder}"`),
  }
}
