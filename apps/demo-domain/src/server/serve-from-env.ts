import { listenPort } from '../port/index.js'
import type { ListenOptions, RunningServer } from './listen-on.js'

const shutdownSignals = ['SIGINT', 'SIGTERM'] as const

/**
 * Starts a demo where `PORT` (default `defaultPort`) and `HOST` (default `127.0.0.1`) say, logs
 * its URL, and on SIGINT or SIGTERM closes it and exits, so `Ctrl-C` and container stops end
 * open connections instead of leaving them to the kernel.
 */
export async function serveFromEnv(
  name: string,
  defaultPort: number,
  start: (options: Required<ListenOptions>) => Promise<RunningServer>,
): Promise<RunningServer> {
  const server = await start({
    port: listenPort(process.env.PORT, defaultPort),
    host: process.env.HOST || '127.0.0.1',
  })
  console.log(`${name} listening on ${server.url}`)
  const shutDown = (): void => {
    for (const signal of shutdownSignals) process.off(signal, shutDown)
    void server.close().then(() => process.exit(0))
  }
  for (const signal of shutdownSignals) process.once(signal, shutDown)
  return server
}
