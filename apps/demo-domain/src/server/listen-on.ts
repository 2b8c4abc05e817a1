import { once } from 'node:events'
import type { Server } from 'node:http'
import type { NotesDemo } from '../demo/index.js'

/** Where a demo server listens. */
export interface ListenOptions {
  /** The TCP port; `0` picks a free one. */
  readonly port: number
  /** The address to listen on. Default: `'127.0.0.1'`. */
  readonly host?: string
}

/** Where and with what to start a demo server. */
export interface StartOptions extends ListenOptions {
  /** The demo to serve. Default: a fresh one. */
  readonly demo?: NotesDemo
}

/** A listening demo server. */
export interface RunningServer {
  /** The base URL, e.g. `http://127.0.0.1:3001`. */
  readonly url: string
  /** Stops accepting connections, closes the open ones, and resolves once the server is closed. */
  close(): Promise<void>
}

/** The base URL of a server listening on `host`, with an IPv6 address in brackets. */
export function listeningUrl(server: Server, host: string): string {
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('Expected a TCP address.')
  return `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`
}

/** Makes `server` listen where `options` say; rejects when it cannot (the port is taken, say). */
export async function listenOn(server: Server, options: ListenOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1'
  server.listen(options.port, host)
  await once(server, 'listening')
  return {
    url: listeningUrl(server, host),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)))
        server.closeAllConnections()
      }),
  }
}
