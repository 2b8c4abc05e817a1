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

/** Reduces a response to its {@link NormalizedResponse}. */
export function normalizeResponse(response: ConformanceResponse): NormalizedResponse {
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(response.headers)) {
    if (!ignoredHeaders.includes(name)) headers[name] = value
  }
  return {
    status: response.status,
    headers,
    body: response.body.replace(correlationId, `"correlationId":"${correlationIdPlaceholder}"`),
  }
}
