import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { Guard } from '@sec/core'
import { applyOutcomeHeaders, fromNodeRequest, sendResponse } from '@sec/node'
import { createSigningApp, signingPaths } from '../app/signing-app.js'
import { listenOnFreePort } from '../server/listen-on-free-port.js'
import { runSigningSuite } from './run-signing-suite.js'

/**
 * The signing app on a bare node:http server that routes by hand and applies the outcome with
 * @sec/node, so that the suite itself is proven before any framework runs it.
 */
function startReferenceSigningServer() {
  const { security, routes, handlers } = createSigningApp()
  const byPath = new Map<string, readonly Guard[]>([
    [signingPaths.sigv4, routes.sigv4],
    [signingPaths.messageSignature, routes.messageSignature],
    [signingPaths.webhook, routes.webhook],
    [signingPaths.stripe, routes.stripe],
  ])

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const request = fromNodeRequest(req)
    const guards = request.method === 'POST' ? byPath.get(request.target) : undefined
    const outcome = await security.protect(request, guards === undefined ? undefined : { guards })
    if (outcome.response !== undefined) return sendResponse(res, outcome.response)
    if (guards === undefined) return sendResponse(res, security.statusResponse(404, outcome))
    applyOutcomeHeaders(res, outcome)
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' })
    res.end(JSON.stringify(handlers.echo(outcome)))
  }

  return listenOnFreePort(
    createServer((req, res) => {
      handle(req, res).catch((error: unknown) => sendResponse(res, security.errorResponse(error)))
    }),
  )
}

runSigningSuite('node:http (reference)', startReferenceSigningServer)
