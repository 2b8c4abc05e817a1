import { createServer } from 'node:http'
import {
  type ConformanceServer,
  type ConformanceVariant,
  createConformanceApp,
  listenOnFreePort,
  runConformanceSuite,
} from '@sec/testkit'
import Koa from 'koa'
import { secure } from './index.js'
import { testRouter } from './testing/router.js'

/** The conformance app on Koa 3, listening on an ephemeral port of 127.0.0.1. */
export async function startKoaConformanceServer(variant: ConformanceVariant): Promise<ConformanceServer> {
  const { security, routes, handlers } = createConformanceApp(variant)
  const app = new Koa()
  // The suite provokes 500s on purpose; their stacks would only clutter the test output.
  app.silent = true
  app.use(secure(security))
  app.use(
    testRouter([
      {
        method: 'GET',
        path: '/health',
        handlers: [
          (ctx) => {
            ctx.body = handlers.health()
          },
        ],
      },
      {
        method: 'GET',
        path: '/v1/whoami',
        handlers: [
          (ctx) => {
            ctx.body = handlers.whoami(ctx.state.security)
          },
        ],
      },
      {
        method: 'POST',
        path: '/v1/notes',
        handlers: [
          secure.route(...routes.createNote),
          (ctx) => {
            ctx.status = 201
            ctx.body = handlers.createNote(ctx.state.security)
          },
        ],
      },
      {
        method: 'GET',
        path: '/v1/notes/:id',
        handlers: [
          secure.route(...routes.getNote),
          (ctx) => {
            ctx.body = handlers.getNote(ctx.state.security, ctx.params.id)
          },
        ],
      },
      {
        method: 'DELETE',
        path: '/v1/notes/:id',
        handlers: [
          secure.route(...routes.deleteNote),
          (ctx) => {
            handlers.deleteNote(ctx.state.security, ctx.params.id)
            ctx.status = 204
          },
        ],
      },
      {
        method: 'GET',
        path: '/v1/private',
        handlers: [
          secure.route(...routes.readPrivate),
          (ctx) => {
            ctx.body = handlers.principal(ctx.state.security)
          },
        ],
      },
      {
        method: 'GET',
        path: '/v1/machine',
        handlers: [
          secure.route(...routes.machine),
          (ctx) => {
            ctx.body = handlers.principal(ctx.state.security)
          },
        ],
      },
      { method: 'GET', path: '/v1/boom', handlers: [() => handlers.boom()] },
    ]),
  )
  return listenOnFreePort(createServer(app.callback()))
}

runConformanceSuite('koa', startKoaConformanceServer)
