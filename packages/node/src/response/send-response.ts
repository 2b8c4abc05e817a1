import type { ServerResponse } from 'node:http'
import type { EarlyResponse } from '@sec/core'
import { bodyRefused } from '../request/read-node-body.js'
import { setResponseHeaders } from './set-response-headers.js'

/**
 * Sets the headers of a response the security layer answers itself (a problem, a preflight),
 * without writing it: for frameworks that write the status and body themselves (Koa).
 *
 * When the request's body was refused as too large, it also sets `Connection: close`: otherwise
 * Node would read the rest of the upload, however large, to keep the connection alive.
 */
export function applyEarlyHeaders(res: ServerResponse, early: EarlyResponse): void {
  setResponseHeaders(res, early.headers)
  if (res.req !== undefined && bodyRefused(res.req)) res.setHeader('connection', 'close')
}

/**
 * Writes a response the security layer answers itself (`outcome.response`, or the problem of
 * `security.errorResponse()` / `statusResponse()`): its status, its headers over any already set,
 * and its body. Call it before anything else has been written to the response.
 */
export function sendResponse(res: ServerResponse, early: EarlyResponse): void {
  applyEarlyHeaders(res, early)
  res.statusCode = early.status
  if (early.body === null) res.end()
  else res.end(early.body)
}
