import { createSigningApp, runSigningSuite, signingPaths } from '@sec/testkit'
import Fastify from 'fastify'
import secFastify from './index.js'

/**
 * The signing app on Fastify 5: each verifier is a route's `config.security`, run in the plugin's
 * `onRequest` hook before Fastify's JSON parser, which then parses the same bytes again.
 */
async function startFastifySigningServer() {
  const { security, routes, handlers } = createSigningApp()
  const app = Fastify()
  await app.register(secFastify, { security })
  for (const [path, guards] of [
    [signingPaths.sigv4, routes.sigv4],
    [signingPaths.messageSignature, routes.messageSignature],
    [signingPaths.webhook, routes.webhook],
    [signingPaths.stripe, routes.stripe],
  ] as const)
    app.post(path, { config: { security: guards } }, async (request) => handlers.echo(request.security))
  await app.listen({ port: 0, host: '127.0.0.1' })
  const address = app.server.address()
  if (address === null || typeof address === 'string') throw new Error('The server has no port')
  return { url: `http://127.0.0.1:${address.port}`, close: () => app.close() }
}

runSigningSuite('fastify', startFastifySigningServer)
