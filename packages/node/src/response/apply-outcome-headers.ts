import type { ServerResponse } from 'node:http'
import type { Outcome } from '@sec/core'
import { setResponseHeaders } from './set-response-headers.js'

/**
 * Puts an allowed request's outcome on the response before the handler runs: removes the headers
 * the guards asked to remove (`outcome.removeHeaders`, e.g. `x-powered-by`) and sets
 * `outcome.headers` (security headers, CORS, rate limits). Headers the handler sets afterwards
 * win. Calling it again after route guards added headers is safe.
 */
export function applyOutcomeHeaders(res: ServerResponse, outcome: Outcome): void {
  for (const name of outcome.removeHeaders) res.removeHeader(name)
  setResponseHeaders(res, outcome.headers)
}
