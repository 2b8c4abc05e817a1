import type { ServerResponse } from 'node:http'

/**
 * Sets the headers an http-errors style error asks for (`Allow` on a 405, `WWW-Authenticate` on a
 * 401), as Express's final handler and Koa's `ctx.onerror` do, but only when the error says it is
 * meant for the client (`expose: true`): an error from an upstream HTTP call may carry that
 * server's headers, cookies included. `Content-Type` and `Content-Length` are never taken.
 */
export function applyErrorHeaders(res: ServerResponse, error: unknown): void {
  if (typeof error !== 'object' || error === null) return
  const { expose, headers } = error as { expose?: unknown; headers?: unknown }
  if (expose !== true || typeof headers !== 'object' || headers === null) return
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase()
    if (lower === 'content-type' || lower === 'content-length') continue
    if (typeof value === 'string' || typeof value === 'number') res.setHeader(name, value)
    else if (Array.isArray(value) && value.every((item) => typeof item === 'string'))
      res.setHeader(name, value)
  }
}
