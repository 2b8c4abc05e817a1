import { createServer } from 'node:http'
import { type ListeningServer, listenOnFreePort } from '@sec/testkit'
import type { Express } from 'express'

/** Starts an Express app on 127.0.0.1, port 0, for tests. */
export function serve(app: Express): Promise<ListeningServer> {
  return listenOnFreePort(createServer(app))
}

/** The response headers as a plain object, without the ones that change on every run. */
export function stableHeaders(response: Response): Record<string, string> {
  const headers = Object.fromEntries(response.headers)
  delete headers.date
  delete headers.etag
  return headers
}
