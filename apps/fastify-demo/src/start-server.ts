import { listeningUrl, type RunningServer, type StartOptions } from 'demo-domain/server'
import type { FastifyServerOptions } from 'fastify'
import { createApp } from './app.js'

/** Where and with what to start the Fastify demo. */
export interface FastifyStartOptions extends StartOptions {
  /** Fastify's logger option. Default: `false`. */
  readonly logger?: FastifyServerOptions['logger']
}

/**
 * Starts the Fastify Notes demo. Fastify listens and closes itself (`app.close()` runs its
 * `onClose` hooks), so only the URL comes from the shared code.
 */
export async function startServer(options: FastifyStartOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1'
  const app = await createApp({
    ...(options.demo !== undefined && { demo: options.demo }),
    ...(options.logger !== undefined && { logger: options.logger }),
  })
  await app.listen({ port: options.port, host })
  return { url: listeningUrl(app.server, host), close: () => app.close() }
}
