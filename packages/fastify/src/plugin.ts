import { pipeline } from 'node:stream'
import type { Guard, Outcome, RouteSecurity, SecurityRequest } from '@sec/core'
import type {
  FastifyError,
  FastifyInstance,
  FastifyPluginCallback,
  FastifyReply,
  FastifyRequest,
  onRequestHookHandler,
  onResponseHookHandler,
  onSendHookHandler,
  preParsingHookHandler,
} from 'fastify'
import fp from 'fastify-plugin'
import { announcesBody, BodyTap, tappedRequest } from './body-tap.js'
import { HeaderTemplates } from './header-templates.js'
import { jsonParser } from './json-parser.js'
import { checkOptions, checkRouteGuards, type SecFastifyOptions } from './options.js'
import { type ParsedBody, type ReplayableRequest, replayableRequest } from './replayable-request.js'
import { sendEarly, setReplyHeaders } from './reply-headers.js'

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * The outcome of the `@sec` guards for this request: the resolved client, the principal,
     * the validated input (`security.body`), facts, the request id. Set by the plugin's hook
     * before any handler, error handler or not-found handler runs (it is `null` only in hooks
     * that run before the plugin's own).
     */
    security: Outcome
  }

  interface FastifyContextConfig {
    /**
     * Guards for this route, run after the app-wide guards of `createSecurity()`, e.g.
     * `{ config: { security: [validate({ body: NoteSchema })] } }`. Default: none.
     */
    security?: readonly Guard[]
  }
}

/** Headers no response should carry: they only advertise the server's software. */
const alwaysRemoved = ['server', 'x-powered-by'] as const

function isAlwaysRemoved(name: string): boolean {
  return name === 'server' || name === 'x-powered-by'
}

const kSecurityRequest = Symbol('@sec/fastify.request')
const kBodyTap = Symbol('@sec/fastify.bodyTap')

interface RequestState {
  [kSecurityRequest]: ReplayableRequest | null
  [kBodyTap]: BodyTap | null
}

function state(request: FastifyRequest): RequestState {
  return request as unknown as RequestState
}

const secFastifyPlugin: FastifyPluginCallback<SecFastifyOptions> = (fastify, options, done) => {
  let checked: ReturnType<typeof checkOptions>
  try {
    checked = checkOptions(options)
  } catch (error) {
    done(error as Error)
    return
  }
  const { security, hook } = checked
  const headerTemplates = new HeaderTemplates()

  fastify.decorateRequest('security', null as unknown as Outcome)
  fastify.decorateRequest(kSecurityRequest, null)
  fastify.decorateRequest(kBodyTap, null)

  fastify.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method.join(',') : route.method
    checkRouteGuards(route.config?.security, `${methods} ${route.url}`)
  })

  function securityRequest(request: FastifyRequest): SecurityRequest {
    if (hook === 'preHandler') return tappedRequest(request.raw, state(request)[kBodyTap] ?? undefined)
    const replayable = replayableRequest(request.raw)
    state(request)[kSecurityRequest] = replayable
    return replayable
  }

  function routeSecurity(request: FastifyRequest): RouteSecurity | undefined {
    if (request.is404) return undefined
    const guards = request.routeOptions.config.security
    const params = (request.params ?? {}) as Readonly<Record<string, string>>
    return guards === undefined ? { params } : { guards, params }
  }

  /**
   * Runs the app-wide guards for a request that failed before the plugin's hook ran (a body
   * Fastify could not parse, with `hook: 'preHandler'`), so its problem still carries their headers.
   */
  async function lateOutcome(request: FastifyRequest): Promise<Outcome> {
    const outcome = await security.protect(securityRequest(request))
    request.security = outcome
    return outcome
  }

  // Callback style rather than async: one promise per request fewer on every route.
  const guard: onRequestHookHandler = (request, reply, done) => {
    security.protect(securityRequest(request), routeSecurity(request)).then((outcome) => {
      try {
        request.security = outcome
        if (outcome.response !== undefined) {
          // The request ends here: Fastify must not go on to the next hook.
          sendEarly(reply, outcome.response)
          return
        }
        if (!headerTemplates.set(reply, outcome.headers)) setReplyHeaders(reply, outcome.headers)
      } catch (error) {
        done(error as FastifyError)
        return
      }
      done()
    }, done)
  }

  const replayBody: preParsingHookHandler = (request, _reply, payload, next) => {
    const replayable = state(request)[kSecurityRequest]
    // The plugin's JSON parser takes the parsed value and reads no stream; any other parser
    // gets the bytes when it reads.
    if (replayable?.parsedBody() !== undefined) {
      next(null, replayable.lazyReplay())
      return
    }
    const replay = replayable?.replay()
    if (replay === undefined) {
      next(null, payload)
      return
    }
    replay.then(
      (stream) => next(null, stream),
      (error: Error) => next(error),
    )
  }

  const tapBody: preParsingHookHandler = (request, _reply, payload, next) => {
    if (!announcesBody(request.raw)) {
      next(null, payload)
      return
    }
    const tap = new BodyTap(request.routeOptions.bodyLimit)
    // pipeline() also ends the tap with an error when the client breaks off the upload.
    pipeline(payload, tap, () => undefined)
    state(request)[kBodyTap] = tap
    next(null, tap)
  }

  const removeHeaders: onSendHookHandler = (request, reply, payload, next) => {
    for (const name of alwaysRemoved) reply.removeHeader(name)
    const outcome = request.security as Outcome | null
    if (outcome !== null)
      for (const name of outcome.removeHeaders) if (!isAlwaysRemoved(name)) reply.removeHeader(name)
    next(null, payload)
  }

  const finish: onResponseHookHandler = (request, reply, next) => {
    ;(request.security as Outcome | null)?.finish({ status: reply.statusCode })
    next()
  }

  async function answerError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
    let outcome = request.security as Outcome | null
    if (outcome === null) {
      outcome = await lateOutcome(request)
      if (outcome.response !== undefined) return sendEarly(reply, outcome.response)
    }
    const early = security.errorResponse(error, outcome)
    if (early.status >= 500) {
      request.log.error({ err: error, correlationId: outcome.requestId }, 'request failed')
    }
    return sendEarly(reply, early)
  }

  async function answerNotFound(request: FastifyRequest, reply: FastifyReply) {
    let outcome = request.security as Outcome | null
    if (outcome === null) {
      outcome = await lateOutcome(request)
      if (outcome.response !== undefined) return sendEarly(reply, outcome.response)
    }
    return sendEarly(reply, security.statusResponse(404, outcome))
  }

  if (hook === 'onRequest') {
    fastify.addHook('onRequest', guard)
    fastify.addHook('preParsing', replayBody)
    useGuardParsedJson(fastify)
  } else {
    fastify.addHook('preParsing', tapBody)
    fastify.addHook('preHandler', guard)
  }
  fastify.addHook('onSend', removeHeaders)
  // Without event sinks, finish() reports nowhere: no hook to run on every response.
  if (security.observed !== false) fastify.addHook('onResponse', finish)
  fastify.setErrorHandler(answerError)
  fastify.setNotFoundHandler(answerNotFound)
  done()
}

function parsedBody(request: FastifyRequest): ParsedBody | undefined {
  return state(request)[kSecurityRequest]?.parsedBody()
}

/**
 * Puts the plugin's JSON parser in place of Fastify's default one, so a body a guard parsed is
 * not parsed again. A JSON parser the app registered before the plugin stays: it gets the bytes.
 */
function useGuardParsedJson(fastify: FastifyInstance): void {
  try {
    fastify.addContentTypeParser('application/json', jsonParser(fastify, parsedBody))
  } catch (error) {
    if ((error as FastifyError).code !== 'FST_ERR_CTP_ALREADY_PRESENT') throw error
  }
}

/**
 * The `@sec` plugin for Fastify 5. It runs the app-wide guards of `security` and the route's
 * `config.security` guards in an `onRequest` hook (or `preHandler`, see {@link SecFastifyOptions.hook}),
 * sends the response when a guard ends the request, and otherwise sets the outcome's headers and
 * exposes the outcome as `request.security`. It also installs an error handler and a not-found
 * handler that answer `application/problem+json` with the same headers, and reports each
 * response's status to `outcome.finish()`.
 *
 * @example
 * const app = Fastify()
 * await app.register(secFastify, { security })
 * app.post('/v1/notes', { config: { security: [validate({ body: NoteSchema })] } }, async (request, reply) =>
 *   reply.code(201).send(await notes.create(request.security.body)))
 */
export const secFastify = fp(secFastifyPlugin, { fastify: '5.x', name: '@sec/fastify' })
