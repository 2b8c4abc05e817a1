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
 * `onRequest` hook, before Fastify parses a body (among them `identify`, which authenticates an
 * access token or API key when one is sent, and the rate limit), and each route's
 * `config.security` guards (authentication, scopes, the policy, body limit, validation) right
 * after them; its error and not-found handlers answer problem+json with the security headers.
 * `frameworkErrors` covers the requests Fastify refuses before routing (a malformed URL).
 */
export async function createApp(options: AppOptions = {}): Promise<FastifyInstance> {
  const { security, routes, handlers } = options.demo ?? createNotesDemo()
  const app = Fastify({ logger: options.logger ?? false, frameworkErrors: frameworkErrors(security) })
  await app.register(secFastify, { security })

  app.get('/health', async () => handlers.health())

  app.post('/v1/auth/token', { config: { security: routes.token } }, async (request) =>
    handlers.issueToken(request.security),
  )
  app.post('/v1/auth/refresh', { config: { security: routes.refresh } }, async (request) =>
    handlers.refreshToken(request.security),
  )
  app.post('/v1/auth/logout', { config: { security: routes.logout } }, async (request, reply) => {
    await handlers.signOut(request.security)
    return reply.code(204).send()
  })
  app.get('/.well-known/jwks.json', { config: { security: routes.jwks } }, async () => handlers.jwks())

  app.get('/v1/notes', { config: { security: routes.listNotes } }, async (request) =>
    handlers.listNotes(request.security),
  )
  app.post('/v1/notes', { config: { security: routes.createNote } }, async (request, reply) =>
    reply.code(201).send(handlers.createNote(request.security)),
  )
  app.get('/v1/notes/:id', { config: { security: routes.getNote } }, async (request) =>
    handlers.getNote(request.security),
  )
  app.delete('/v1/notes/:id', { config: { security: routes.deleteNote } }, async (request, reply) => {
    handlers.deleteNote(request.security)
    return reply.code(204).send()
  })
  app.get('/v1/search', { config: { security: routes.search } }, async (request) =>
    handlers.searchNotes(request.security),
  )

  app.post('/v1/api-keys', { config: { security: routes.createApiKey } }, async (request, reply) =>
    reply.code(201).send(await handlers.createApiKey(request.security)),
  )
  app.get('/v1/api-keys', { config: { security: routes.listApiKeys } }, async (request) =>
    handlers.listApiKeys(request.security),
  )
  app.post('/v1/api-keys/:id/rotate', { config: { security: routes.rotateApiKey } }, async (request, reply) =>
    reply.code(201).send(await handlers.rotateApiKey(request.security)),
  )
  app.delete('/v1/api-keys/:id', { config: { security: routes.deleteApiKey } }, async (request, reply) => {
    await handlers.deleteApiKey(request.security)
    return reply.code(204).send()
  })

  app.post('/v1/signed/notes', { config: { security: routes.signedNote } }, async (request, reply) =>
    reply.code(201).send(handlers.createNote(request.security)),
  )
  app.post('/v1/webhooks/notes', { config: { security: routes.webhookNote } }, async (request, reply) => {
    const note = await handlers.receiveNoteEvent(request.security)
    return note === undefined ? reply.code(204).send() : reply.code(201).send(note)
  })
  return app
}
