import type { Outcome } from '@sec/core'
import { applyOutcomeHeaders, sendResponse } from '@sec/node'
import type { Request, Response } from 'express'

/**
 * Lets body parsers mounted after the guards skip a body the guards already read (body-parser 2,
 * Express 5's `express.json()`, skips a request whose stream has ended), and hands the parsed
 * (and, once validated, typed) body to `req.body` for handlers written for `express.json()`.
 */
function shareBody(req: Request, outcome: Outcome): void {
  if (outcome.body !== undefined && req.readableEnded) req.body = outcome.body
}

/**
 * Applies an outcome: sends the early response when the guards answered the request (and returns
 * `false`), or sets the outcome's headers and shares the body so the next handler can run.
 */
export function applyOutcome(req: Request, res: Response, outcome: Outcome): boolean {
  if (outcome.response !== undefined) {
    for (const name of outcome.removeHeaders) res.removeHeader(name)
    sendResponse(res, outcome.response)
    return false
  }
  applyOutcomeHeaders(res, outcome)
  shareBody(req, outcome)
  return true
}
