import type { Server } from 'node:http'
import type { Express } from 'express'

/** An Express app listening on an ephemeral loopback port, for tests. */
export interface Served {
  readonly url: string
  readonly port: number
  close(): Promise<void>
}

/** Starts the app on 127.0.0.1, port 0. */
export async function serve(app: Express): Promise<Served> {
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening))
  })
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('expected a TCP address')
  return {
    url: `http://127.0.0.1:${address.port}`,
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** The response headers as a plain object, without the ones that change on every run. */
export function stableHeaders(response: Response): Record<string, string> {
  const headers = Object.fromEntries(response.headers)
  delete headers.date
  delete headers.etag
  return headers
}
