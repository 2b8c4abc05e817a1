import Router from '@koa/router'
import { secure } from '@sec/koa'
import { createNotesDemo, type NotesDemo } from 'demo-domain'
import Koa from 'koa'

/**
 * The Notes API on Koa 3. `secure(security)` runs the app-wide guards on every request and turns
 * thrown errors and unanswered requests into problem+json with the security headers;
 * `secure.route(...)` adds a route's own guards once the router matched it.
 */
export function createApp(demo: NotesDemo = createNotesDemo()): Koa {
  const { security, routes, handlers } = demo
  const app = new Koa()
  const router = new Router()

  router.get('/health', (ctx) => {
    ctx.body = handlers.health()
  })
  router.get('/v1/notes', (ctx) => {
    ctx.body = handlers.listNotes()
  })
  router.post('/v1/notes', secure.route(...routes.createNote), (ctx) => {
    ctx.status = 201
    ctx.body = handlers.createNote(ctx.state.security)
  })
  router.get('/v1/notes/:id', secure.route(...routes.getNote), (ctx) => {
    ctx.body = handlers.getNote(ctx.state.security)
  })
  router.get('/v1/search', secure.route(...routes.search), (ctx) => {
    ctx.body = handlers.searchNotes(ctx.state.security)
  })

  app.use(secure(security))
  app.use(router.routes())
  return app
}
