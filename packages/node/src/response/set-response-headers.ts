import type { ServerResponse } from 'node:http'
import { mergeVary, type ResponseHeaders } from '@sec/core'

/** Adds `Vary` tokens to those already set (by compression or another middleware), once each. */
function addVary(res: ServerResponse, value: string): void {
  const current = res.getHeader('vary')
  if (current === undefined) res.setHeader('vary', value)
  // Applying the same outcome again (after route guards) finds its own value: nothing to merge.
  else if (current !== value) {
    const merged = mergeVary(String(current), value)
    if (merged !== current) res.setHeader('vary', merged)
  }
}

/** Adds cookies to those already set, skipping any already there, so applying twice is harmless. */
function mergeSetCookie(res: ServerResponse, cookies: readonly string[]): void {
  const current = res.getHeader('set-cookie')
  const existing = current === undefined ? [] : Array.isArray(current) ? current : [String(current)]
  const added = cookies.filter((cookie) => !existing.includes(cookie))
  if (added.length > 0) res.setHeader('set-cookie', [...existing, ...added])
}

/**
 * Sets every header on a response that has none yet (the app-wide middleware mounted first, the
 * common case): with nothing to merge with or compare to, each header is set as it is, without
 * the lookup before each one that would only find nothing.
 */
function setOnEmpty(res: ServerResponse, headers: ResponseHeaders): void {
  let cookies = false
  headers.forEach((value, name) => {
    if (name === 'set-cookie') cookies = true
    else res.setHeader(name, value)
  })
  if (cookies) res.setHeader('set-cookie', headers.getSetCookie())
}

/**
 * Sets every header of an outcome's {@link ResponseHeaders} on a Node.js response. `Vary` is merged
 * with the value already there and each `Set-Cookie` is kept as its own line; any other header
 * replaces the one already set. Setting the same headers twice changes nothing. Node checks each
 * name and value as it is set, so an invalid value a guard set throws here.
 */
export function setResponseHeaders(res: ServerResponse, headers: ResponseHeaders): void {
  if (res.getHeaderNames().length === 0) {
    setOnEmpty(res, headers)
    return
  }
  let cookies = false
  headers.forEach((value, name) => {
    if (name === 'set-cookie') cookies = true
    else if (name === 'vary') addVary(res, value)
    // Route guards make the adapter apply the outcome's headers a second time: a header already
    // holding its value is left alone rather than checked and stored again by Node.
    else if (res.getHeader(name) !== value) res.setHeader(name, value)
  })
  if (cookies) mergeSetCookie(res, headers.getSetCookie())
}
