import { createServer } from 'node:http'
import { type ListeningServer, listenOnFreePort } from '@sec/testkit'
import type Koa from 'koa'

/** Starts a Koa app on 127.0.0.1, port 0, for tests. */
export function serve(app: Koa): Promise<ListeningServer> {
  return listenOnFreePort(createServer(app.callback()))
}

/** The response headers as a plain object, without the date. */
export function stableHeaders(response: Response): Record<string, string> {
  const headers = Object.fromEntries(response.headers)
  delete headers.date
  return headers
}
