import { isSecurity, SecConfigError, type Security } from '@sec/core'
import { fromNodeRequest, reportFinish } from '@sec/node'
import type { RequestHandler } from 'express'
import { applyOutcome } from './apply-outcome.js'
import { mountSecurity } from './mounted-security.js'

/**
 * The app-wide middleware: runs `security.protect` on every request, stores the outcome on
 * `req.security`, and either answers the request itself (a denial, a CORS preflight) or sets the
 * outcome's headers and calls `next()`. Express's `X-Powered-By` is removed. The final status is
 * reported to `outcome.finish()` when the response closes.
 */
export function secureApp(security: Security): RequestHandler {
  if (!isSecurity(security)) {
    throw new SecConfigError('secure(security)', 'Expected the Security that createSecurity() returns.')
  }
  return async function secure(req, res, next) {
    const outcome = await security.protect(fromNodeRequest(req, { url: req.originalUrl }))
    // The headers() guard usually asks for it already: a call on Express's response is not free.
    if (!outcome.removeHeaders.includes('x-powered-by')) res.removeHeader('x-powered-by')
    mountSecurity(req, security, outcome)
    reportFinish(res, outcome)
    if (applyOutcome(req, res, outcome)) next()
  }
}
