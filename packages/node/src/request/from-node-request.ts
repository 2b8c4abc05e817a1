import type { IncomingMessage } from 'node:http'
import type { TLSSocket } from 'node:tls'
import { onceBody, type SecurityRequest } from '@sec/core'
import { RawHeadersView } from './raw-headers.js'
import { readBody } from './read-node-body.js'
import { originForm } from './request-target.js'

/** What {@link fromNodeRequest} may take from elsewhere than the `IncomingMessage`. */
export interface NodeRequestOptions {
  /**
   * The request target as received. Default: `req.url`. Pass the framework's original URL when a
   * router rewrites `req.url` for mounted sub-apps (Express `req.originalUrl`, Koa `ctx.originalUrl`),
   * so guards see the full path. An absolute-form target is reduced to its path and query.
   */
  readonly url?: string
  /** The connection's peer address. Default: `req.socket.remoteAddress`. */
  readonly remoteAddress?: string
  /** Whether the connection is TLS. Default: `req.socket.encrypted === true` (a `TLSSocket`). */
  readonly encrypted?: boolean
}

/**
 * A {@link SecurityRequest} over a Node.js `IncomingMessage` (Express, Koa, Fastify's `request.raw`,
 * a bare `node:http` server). It copies nothing: headers are a lazy view over `req.rawHeaders`
 * (so a duplicated `Host` stays visible), and the body is read only when a guard asks, once,
 * bounded by the guard's limit.
 *
 * @example
 * createServer(async (req, res) => {
 *   const outcome = await security.protect(fromNodeRequest(req))
 *   if (outcome.response) return sendResponse(res, outcome.response)
 *   applyOutcomeHeaders(res, outcome)
 *   res.end('ok')
 * })
 */
export function fromNodeRequest(req: IncomingMessage, options?: NodeRequestOptions): SecurityRequest {
  const socket = req.socket as TLSSocket | null
  const headers = new RawHeadersView(req.rawHeaders)
  return {
    method: (req.method ?? 'GET').toUpperCase(),
    target: originForm(options?.url ?? req.url),
    headers,
    remoteAddress: options?.remoteAddress ?? socket?.remoteAddress,
    encrypted: options?.encrypted ?? socket?.encrypted === true,
    body: onceBody((limit) => readBody(req, limit, headers.get('content-length'))),
  }
}
