import { listenPort } from '../port/index.js'
import { createNotesDemoFromEnv } from '../shared-limits/index.js'
import type { ListenOptions, RunningServer, StartOptions } from './listen-on.js'

const shutdownSignals = ['SIGINT', 'SIGTERM'] as const

/**
 * Starts a demo where `PORT` (default `defaultPort`) and `HOST` (default `127.0.0.1`) say, with
 * its rate limits shared on the Redis of `REDIS_URL` when set (see `createNotesDemoFromEnv`), logs
 * its URL, and on SIGINT or SIGTERM closes it and exits, so `Ctrl-C` and container stops end open
 * connections instead of leaving them to the kernel. A malformed `PORT` or `REDIS_URL` throws
 * before anything starts.
 */
export async function serveFromEnv(
  name: string,
  defaultPort: number,
  start: (options: StartOptions & Required<ListenOptions>) => Promise<RunningServer>,
): Promise<RunningServer> {
  const port = listenPort(process.env.PORT, defaultPort)
  const host = process.env.HOST || '127.0.0.1'
  const fromEnv = createNotesDemoFromEnv(process.env)
  let server: RunningServer
  try {
    server = await start({ port, host, demo: fromEnv.demo })
  } catch (error) {
    fromEnv.close()
    throw error
  }
  console.log(`${name} listening on ${server.url}`)
  if (fromEnv.sharedLimits !== undefined)
    console.log(`${name} shares its rate limits through Redis at ${fromEnv.sharedLimits}`)
  const shutDown = (): void => {
    for (const signal of shutdownSignals) process.off(signal, shutDown)
    void server
      .close()
      .then(() => fromEnv.close())
      .then(() => process.exit(0))
  }
  for (const signal of shutdownSignals) process.once(signal, shutDown)
  return server
}
