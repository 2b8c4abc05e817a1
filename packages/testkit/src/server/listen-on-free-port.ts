import type { Server } from 'node:http'

/** A server listening on an ephemeral port of 127.0.0.1. */
export interface ListeningServer {
  /** Its base URL, e.g. `http://127.0.0.1:54321`. */
  readonly url: string
  /** Stops it and closes its connections. */
  close(): Promise<void>
}

/**
 * Makes `server` listen on 127.0.0.1, port 0. `close()` drops every open connection, idle or
 * not, before closing the server, so a test that left a keep-alive connection open cannot hang
 * its teardown.
 */
export async function listenOnFreePort(server: Server): Promise<ListeningServer> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('Expected a TCP address.')
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((error) => (error === undefined ? resolve() : reject(error)))
      }),
  }
}
