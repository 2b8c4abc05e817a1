import { createServer } from 'node:http'
import { createSigningApp, listenOnFreePort, runSigningSuite, signingPaths } from '@sec/testkit'
import Koa from 'koa'
import { secure } from './index.js'
import { testRouter } from './testing/router.js'

/** The signing app on Koa 3: each verifier is a route guard; no body parser runs before it. */
function startKoaSigningServer() {
  const { security, routes, handlers } = createSigningApp()
  const app = new Koa()
  app.use(secure(security))
  app.use(
    testRouter(
      (
        [
          [signingPaths.sigv4, routes.sigv4],
          [signingPaths.messageSignature, routes.messageSignature],
          [signingPaths.webhook, routes.webhook],
          [signingPaths.stripe, routes.stripe],
        ] as const
      ).map(([path, guards]) => ({
        method: 'POST',
        path,
        handlers: [
          secure.route(...guards),
          (ctx) => {
            ctx.body = handlers.echo(ctx.state.security)
          },
        ],
      })),
    ),
  )
  return listenOnFreePort(createServer(app.callback()))
}

runSigningSuite('koa', startKoaSigningServer)
