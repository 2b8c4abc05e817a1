import { applyErrorHeaders, sendResponse } from '@sec/node'
import type { ErrorRequestHandler, RequestHandler } from 'express'
import { mountedSecurity, notMounted } from './mounted-security.js'

/** Headers that described the body the handler meant to send, wrong for the problem sent instead. */
const bodyHeaders = [
  'content-disposition',
  'content-encoding',
  'content-language',
  'content-length',
  'content-range',
  'etag',
  'last-modified',
]

/**
 * The error handler: any error (a thrown `Error`, body-parser's malformed JSON, an http-errors
 * 404) becomes a problem+json response from `security.errorResponse`, with the security headers.
 * 4xx errors keep their status with a bare problem; anything else is a 500 whose only detail is a
 * `correlationId`. An exposed http error's own headers (`Allow`, `WWW-Authenticate`) are kept. Messages and stacks never reach the client. When the response has already
 * started, or `secure()` did not run for this request, the error goes on to Express's own handler.
 */
export function secureErrorHandler(): ErrorRequestHandler {
  return function secureErrors(error, req, res, next) {
    const security = mountedSecurity(req)
    if (security === undefined || res.headersSent) {
      next(error)
      return
    }
    // Only headers that are there: removing an absent Content-Length makes Node send the problem chunked.
    for (const name of bodyHeaders) if (res.hasHeader(name)) res.removeHeader(name)
    applyErrorHeaders(res, error)
    sendResponse(res, security.errorResponse(error, req.security))
  }
}

/** The not-found handler, mounted after every route: a `404` about:blank problem with the security headers. */
export function secureNotFound(): RequestHandler {
  return function notFound(req, res, next) {
    const security = mountedSecurity(req)
    if (security === undefined) {
      next(notMounted('secure.notFound()'))
      return
    }
    sendResponse(res, security.statusResponse(404, req.security))
  }
}
