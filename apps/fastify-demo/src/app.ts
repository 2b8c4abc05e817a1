import secFastify, { frameworkErrors } from '@sec/fastify'
import { createNotesDemo, type NotesDemo } from 'demo-domain'
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'

/** Options of {@link createApp}. */
export interface AppOptions {
  /** The demo to serve. Default: a fresh one. */
  readonly demo?: NotesDemo
  /** Fastify's logger option. Default: `false`. */
  readonly logger?: FastifyServerOptions['logger']
}

/**
 * The Notes API on Fastify 5. The `@sec/fastify` plugin runs the app-wide guards in an
 * `onRequest` hook, before Fastify parses a body, and each route's `config.security` guards right
 * after them; its error and not-found handlers answer problem+json with the security headers.
 * `frameworkErrors` covers the requests Fastify refuses before routing (a malformed URL).
 */
export async function createApp(options: AppOptions = {}): Promise<FastifyInstance> {
  const { security, routes, handlers } = options.demo ?? createNotesDemo()
  const app = Fastify({ logger: options.logger ?? false, frameworkErrors: frameworkErrors(security) })
  await app.register(secFastify, { security })

  app.get('/health', async () => handlers.health())
  app.get('/v1/notes', async () => handlers.listNotes())
  app.post('/v1/notes', { config: { security: routes.createNote } }, async (request, reply) =>
    reply.code(201).send(handlers.createNote(request.security)),
  )
  app.get('/v1/notes/:id', { config: { security: routes.getNote } }, async (request) =>
    handlers.getNote(request.security),
  )
  app.get('/v1/search', { config: { security: routes.search } }, async (request) =>
    handlers.searchNotes(request.security),
  )
  return app
}
