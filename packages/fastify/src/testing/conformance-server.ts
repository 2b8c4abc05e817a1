import { type ConformanceServer, type ConformanceVariant, createConformanceApp } from '@sec/testkit'
import Fastify from 'fastify'
import secFastify, { frameworkErrors } from '../index.js'

/** Starts the conformance app on Fastify, on an ephemeral port of 127.0.0.1. */
export async function startFastifyConformanceServer(variant: ConformanceVariant): Promise<ConformanceServer> {
  const { security, routes, handlers } = createConformanceApp(variant)
  const app = Fastify({ frameworkErrors: frameworkErrors(security) })
  await app.register(secFastify, { security })
  app.get('/health', async () => handlers.health())
  app.get('/v1/whoami', async (request) => handlers.whoami(request.security))
  app.post('/v1/notes', { config: { security: routes.createNote } }, async (request, reply) =>
    reply.code(201).send(handlers.createNote(request.security)),
  )
  app.get<{ Params: { id: string } }>(
    '/v1/notes/:id',
    { config: { security: routes.getNote } },
    async (request) => handlers.getNote(request.security, request.params.id),
  )
  app.delete<{ Params: { id: string } }>(
    '/v1/notes/:id',
    { config: { security: routes.deleteNote } },
    async (request, reply) => {
      handlers.deleteNote(request.security, request.params.id)
      return reply.code(204).send()
    },
  )
  app.get('/v1/private', { config: { security: routes.readPrivate } }, async (request) =>
    handlers.principal(request.security),
  )
  app.get('/v1/machine', { config: { security: routes.machine } }, async (request) =>
    handlers.principal(request.security),
  )
  app.get('/v1/boom', async () => handlers.boom())
  await app.listen({ port: 0, host: '127.0.0.1' })
  const address = app.server.address()
  if (address === null || typeof address === 'string') throw new Error('The server has no port')
  return { url: `http://127.0.0.1:${address.port}`, close: () => app.close() }
}
