import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { Guard, Outcome } from '@sec/core'
import { applyOutcomeHeaders, fromNodeRequest, reportFinish, sendResponse } from '@sec/node'
import { type ConformanceVariant, createConformanceApp } from './app/conformance-app.js'
import { listenOnFreePort } from './server/listen-on-free-port.js'
import { type ConformanceServer, runConformanceSuite } from './suite/run-conformance-suite.js'

interface Route {
  readonly status: number
  readonly guards: readonly Guard[]
  readonly params: Readonly<Record<string, string>>
  run(outcome: Outcome): unknown
}

class BadPathError extends Error {
  readonly status = 400
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    throw new BadPathError('The path is not valid percent-encoding.')
  }
}

/**
 * The smallest adapter there is: a bare node:http server that routes by hand and applies the
 * outcome with @sec/node, so that the suite itself is proven before any framework adapter exists.
 */
async function startReferenceServer(variant: ConformanceVariant): Promise<ConformanceServer> {
  const { security, routes, handlers } = createConformanceApp(variant)
  const none: readonly Guard[] = []

  function route(method: string, path: string): Route | undefined {
    if (method === 'GET' && path === '/health')
      return { status: 200, guards: none, params: {}, run: handlers.health }
    if (method === 'GET' && path === '/v1/whoami')
      return { status: 200, guards: none, params: {}, run: handlers.whoami }
    if (method === 'GET' && path === '/v1/boom')
      return { status: 200, guards: none, params: {}, run: handlers.boom }
    if (method === 'GET' && path === '/v1/private')
      return { status: 200, guards: routes.readPrivate, params: {}, run: handlers.principal }
    if (method === 'GET' && path === '/v1/machine')
      return { status: 200, guards: routes.machine, params: {}, run: handlers.principal }
    if (method === 'POST' && path === '/v1/notes')
      return { status: 201, guards: routes.createNote, params: {}, run: handlers.createNote }
    const note = /^\/v1\/notes\/([^/]+)$/.exec(path)
    if (note === null || (method !== 'GET' && method !== 'DELETE')) return undefined
    const id = decodeSegment(note[1] as string)
    if (method === 'GET')
      return {
        status: 200,
        guards: routes.getNote,
        params: { id },
        run: (outcome) => handlers.getNote(outcome, id),
      }
    return {
      status: 204,
      guards: routes.deleteNote,
      params: { id },
      run: (outcome) => handlers.deleteNote(outcome, id),
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const request = fromNodeRequest(req)
    const query = request.target.indexOf('?')
    const path = query === -1 ? request.target : request.target.slice(0, query)
    let matched: Route | undefined
    let routeError: unknown
    try {
      matched = route(request.method, path)
    } catch (error) {
      routeError = error
    }
    const outcome = await security.protect(
      request,
      matched === undefined ? undefined : { guards: matched.guards, params: matched.params },
    )
    reportFinish(res, outcome)
    if (outcome.response !== undefined) {
      for (const name of outcome.removeHeaders) res.removeHeader(name)
      sendResponse(res, outcome.response)
      return
    }
    applyOutcomeHeaders(res, outcome)
    if (routeError !== undefined) return sendResponse(res, security.errorResponse(routeError, outcome))
    if (matched === undefined) return sendResponse(res, security.statusResponse(404, outcome))
    try {
      const value = await matched.run(outcome)
      res.statusCode = matched.status
      if (matched.status === 204) return void res.end()
      res.setHeader('content-type', 'application/json; charset=utf-8')
      res.end(JSON.stringify(value))
    } catch (error) {
      sendResponse(res, security.errorResponse(error, outcome))
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendResponse(res, security.errorResponse(error))
      else res.destroy()
    })
  })
  return listenOnFreePort(server)
}

runConformanceSuite('reference', startReferenceServer)
