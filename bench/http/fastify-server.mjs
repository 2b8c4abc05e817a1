import fastifyCors from '@fastify/cors'
import fastifyHelmet from '@fastify/helmet'
import Fastify from 'fastify'
import * as v from 'valibot'
import {
  allowedOrigin,
  bodyLimit,
  created,
  NoteSchema,
  peerJwtVerifier,
  scenario,
  secStack,
  unreachableLimit,
} from './note-schema.mjs'

const variant = process.argv[2]
const app = Fastify({ bodyLimit, trustProxy: variant === 'bare' ? false : '127.0.0.1' })

if (variant === 'bare') {
  app.post('/v1/notes', async (request, reply) => reply.code(201).send(created(request.body)))
} else if (variant === 'peer') {
  await app.register(fastifyHelmet)
  await app.register(fastifyCors, { origin: [allowedOrigin], credentials: true })
  app.addHook('onRequest', async (request, reply) => {
    if (request.protocol !== 'https' && request.headers['x-forwarded-proto'])
      return reply.redirect(`https://${request.host}${request.url}`, 308)
  })
  const routeOptions = {}
  if (scenario === 'auth') {
    const { default: fastifyRateLimit } = await import('@fastify/rate-limit')
    await app.register(fastifyRateLimit, { max: unreachableLimit, timeWindow: 60_000 })
    const verify = await peerJwtVerifier()
    routeOptions.preHandler = async (request, reply) => {
      request.auth = await verify(request.headers.authorization)
      if (request.auth === undefined) return reply.code(401).send({ status: 401 })
    }
  }
  app.post('/v1/notes', routeOptions, async (request, reply) => {
    const result = v.safeParse(NoteSchema, request.body)
    if (!result.success) return reply.code(400).send({ status: 400 })
    return reply.code(201).send(created(result.output))
  })
} else if (variant === 'sec') {
  const { default: secFastify } = await import('@sec/fastify')
  const { security, routeGuards } = await secStack()
  await app.register(secFastify, { security })
  app.post('/v1/notes', { config: { security: routeGuards } }, async (request, reply) =>
    reply.code(201).send(created(request.security.body)),
  )
} else {
  throw new Error(`unknown variant ${variant}`)
}

await app.listen({ port: 0, host: '127.0.0.1' })
process.stdout.write(`${app.server.address().port}\n`)
