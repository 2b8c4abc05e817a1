import type { Security } from '@sec/core'
import { fromNodeRequest, reportFinish } from '@sec/node'
import type { FastifyServerOptions } from 'fastify'
import { sendEarly } from './reply-headers.js'

/** The type of Fastify's `frameworkErrors` server option. */
export type FrameworkErrorsHandler = NonNullable<FastifyServerOptions['frameworkErrors']>

/**
 * A handler for Fastify's `frameworkErrors` server option, for the requests Fastify refuses
 * before routing, where no hook, error handler or not-found handler runs: a malformed URL such as
 * `/%zz` (`FST_ERR_BAD_URL`, 400) and a failing async constraint (500). It runs the app-wide
 * guards, so their headers are on the response and their decisions (an HTTPS redirect, a CORS
 * denial) come first, then answers `application/problem+json`; a 500 carries only a
 * `correlationId`.
 *
 * @example
 * const app = Fastify({ frameworkErrors: frameworkErrors(security) })
 * await app.register(secFastify, { security })
 */
export function frameworkErrors(security: Security): FrameworkErrorsHandler {
  return (error, request, reply) => {
    security
      .protect(fromNodeRequest(request.raw))
      .then((outcome) => {
        request.security = outcome
        reportFinish(reply.raw, outcome)
        sendEarly(reply, outcome.response ?? security.errorResponse(error, outcome))
      })
      .catch((failure: unknown) => {
        request.log.error({ err: failure }, 'could not answer a request Fastify refused before routing')
        if (reply.raw.headersSent) return
        reply.raw.statusCode = 500
        reply.raw.end()
      })
  }
}
