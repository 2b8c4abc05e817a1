import type { ServerResponse } from 'node:http'
import type { Outcome, ResponseHeaders } from '@sec/core'
import { setResponseHeaders } from './set-response-headers.js'

/** What the last call put on which response, so a second call with nothing new can skip the work. */
interface AppliedHeaders {
  readonly res: ServerResponse
  readonly headers: ResponseHeaders
  readonly revision: number
  readonly removed: number
}

const applied = Symbol('@sec/node.appliedHeaders')

// Kept on the outcome, an object of ours: a new property on a framework's response object can
// cost microseconds (Express gives each response a shape of its own when it swaps its prototype).
type MarkedOutcome = Outcome & { [applied]?: AppliedHeaders }

/**
 * Puts an allowed request's outcome on the response before the handler runs: removes the headers
 * the guards asked to remove (`outcome.removeHeaders`, e.g. `x-powered-by`) and sets
 * `outcome.headers` (security headers, CORS, rate limits). Headers the handler sets afterwards
 * win. Calling it again after route guards is safe: when the route guards changed no header, it
 * does nothing (so a header a middleware set in between also stays); when they did, every header
 * is applied again.
 */
export function applyOutcomeHeaders(res: ServerResponse, outcome: Outcome): void {
  const headers = outcome.headers
  const removeHeaders = outcome.removeHeaders
  const marked = outcome as MarkedOutcome
  const last = marked[applied]
  if (
    last !== undefined &&
    last.res === res &&
    last.headers === headers &&
    last.revision === headers.revision &&
    last.removed === removeHeaders.length
  )
    return
  for (const name of removeHeaders) res.removeHeader(name)
  setResponseHeaders(res, headers)
  marked[applied] = { res, headers, revision: headers.revision, removed: removeHeaders.length }
}
