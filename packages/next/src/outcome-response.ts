import { type EarlyResponse, mergeVary, type Outcome, type ResponseHeaders } from '@sec/core'

/**
 * The Web `Headers` of an outcome's headers. `Headers` checks each name and value here, so an
 * invalid value a guard set throws now, as it would in a Node adapter when the response is written.
 */
export function webHeaders(headers: ResponseHeaders): Headers {
  const web = new Headers()
  for (const [name, value] of headers) web.append(name, value)
  return web
}

/**
 * A Web `Response` for a response the security layer answers itself: `outcome.response`, or what
 * `security.errorResponse()` / `security.statusResponse()` return.
 *
 * @example
 * return earlyResponse(security.statusResponse(404, outcome))
 */
export function earlyResponse(early: EarlyResponse): Response {
  return new Response(early.body, { status: early.status, headers: webHeaders(early.headers) })
}

function applyOutcome(target: Headers, outcome: Outcome): void {
  for (const name of outcome.removeHeaders) target.delete(name)
  let cookies = false
  for (const [name, value] of outcome.headers) {
    if (name === 'set-cookie') {
      cookies = true
    } else if (name === 'vary') {
      const current = target.get('vary')
      target.set('vary', current === null ? value : mergeVary(current, value))
    } else if (!target.has(name)) {
      target.set(name, value)
    }
  }
  if (!cookies) return
  const existing = target.getSetCookie()
  for (const cookie of outcome.headers.getSetCookie())
    if (!existing.includes(cookie)) target.append('set-cookie', cookie)
}

/**
 * Puts the outcome's headers on the handler's response: headers the guards asked to remove go,
 * `Vary` tokens merge, cookies are added, and every other header is set unless the handler set it
 * (the handler's choice wins, as in the Node adapters where the guards' headers are set first).
 * A response whose headers are immutable (`Response.redirect()`, a `fetch()` response) is copied.
 */
export function withOutcomeHeaders(response: Response, outcome: Outcome): Response {
  try {
    applyOutcome(response.headers, outcome)
    return response
  } catch (error) {
    if (!(error instanceof TypeError)) throw error
    const copy = new Response(response.body, response)
    applyOutcome(copy.headers, outcome)
    return copy
  }
}
