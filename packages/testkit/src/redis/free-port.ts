import { createServer } from 'node:net'

/**
 * A TCP port of 127.0.0.1 that was free a moment ago: the OS picks it for a throwaway listener,
 * which is closed before the port is returned. Callers that lose the race retry with another.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => {
        if (address === null || typeof address === 'string') reject(new Error('Expected a TCP address.'))
        else resolve(address.port)
      })
    })
  })
}
