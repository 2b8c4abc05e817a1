import { once } from 'node:events'
import { createServer } from 'node:http'
import type { NotesDemo } from 'demo-domain'
import { createApp } from './app.js'

/** Where and with what to start the server. */
export interface StartOptions {
  /** The TCP port; `0` picks a free one. */
  readonly port: number
  /** The address to listen on. Default: `'127.0.0.1'`. */
  readonly host?: string
  /** The demo to serve. Default: a fresh one. */
  readonly demo?: NotesDemo
}

/** A listening server. */
export interface RunningServer {
  /** The base URL, e.g. `http://127.0.0.1:3001`. */
  readonly url: string
  /** Stops accepting connections, closes the open ones, and resolves once the server is closed. */
  close(): Promise<void>
}

/** Starts the Express Notes demo. */
export async function startServer(options: StartOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1'
  const server = createServer(createApp(options.demo))
  server.listen(options.port, host)
  await once(server, 'listening')
  const address = server.address()
  const port = typeof address === 'object' && address !== null ? address.port : options.port
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)))
        server.closeAllConnections()
      }),
  }
}
