import type { NotesDemo } from 'demo-domain'
import type { FastifyServerOptions } from 'fastify'
import { createApp } from './app.js'

/** Where and with what to start the server. */
export interface StartOptions {
  /** The TCP port; `0` picks a free one. */
  readonly port: number
  /** The address to listen on. Default: `'127.0.0.1'`. */
  readonly host?: string
  /** The demo to serve. Default: a fresh one. */
  readonly demo?: NotesDemo
  /** Fastify's logger option. Default: `false`. */
  readonly logger?: FastifyServerOptions['logger']
}

/** A listening server. */
export interface RunningServer {
  /** The base URL, e.g. `http://127.0.0.1:3002`. */
  readonly url: string
  /** Stops accepting connections, closes the open ones, and resolves once the server is closed. */
  close(): Promise<void>
}

/** Starts the Fastify Notes demo. */
export async function startServer(options: StartOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1'
  const app = await createApp({
    ...(options.demo !== undefined && { demo: options.demo }),
    ...(options.logger !== undefined && { logger: options.logger }),
  })
  await app.listen({ port: options.port, host })
  const address = app.server.address()
  const port = typeof address === 'object' && address !== null ? address.port : options.port
  return { url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`, close: () => app.close() }
}
