import Router from '@koa/router'
import { secure } from '@sec/koa'
import { createNotesDemo, type NotesDemo } from 'demo-domain'
import Koa from 'koa'

/**
 * The Notes API on Koa 3. `secure(security)` runs the app-wide guards on every request (among them
 * `identify`, which authenticates an access token or API key when one is sent, and the rate limit)
 * and turns thrown errors and unanswered requests into problem+json with the security headers;
 * `secure.route(...)` adds a route's own guards (authentication, scopes, the policy, body limit,
 * validation) once the router matched it.
 */
export function createApp(demo: NotesDemo = createNotesDemo()): Koa {
  const { security, routes, handlers } = demo
  const app = new Koa()
  const router = new Router()

  router.get('/health', (ctx) => {
    ctx.body = handlers.health()
  })

  router.post('/v1/auth/token', secure.route(...routes.token), async (ctx) => {
    ctx.body = await handlers.issueToken(ctx.state.security)
  })
  router.post('/v1/auth/refresh', secure.route(...routes.refresh), async (ctx) => {
    ctx.body = await handlers.refreshToken(ctx.state.security)
  })
  router.post('/v1/auth/logout', secure.route(...routes.logout), async (ctx) => {
    await handlers.signOut(ctx.state.security)
    ctx.status = 204
  })
  router.get('/.well-known/jwks.json', secure.route(...routes.jwks), async (ctx) => {
    ctx.body = await handlers.jwks()
  })

  router.get('/v1/notes', secure.route(...routes.listNotes), (ctx) => {
    ctx.body = handlers.listNotes(ctx.state.security)
  })
  router.post('/v1/notes', secure.route(...routes.createNote), (ctx) => {
    ctx.status = 201
    ctx.body = handlers.createNote(ctx.state.security)
  })
  router.get('/v1/notes/:id', secure.route(...routes.getNote), (ctx) => {
    ctx.body = handlers.getNote(ctx.state.security)
  })
  router.delete('/v1/notes/:id', secure.route(...routes.deleteNote), (ctx) => {
    handlers.deleteNote(ctx.state.security)
    ctx.status = 204
  })
  router.get('/v1/search', secure.route(...routes.search), (ctx) => {
    ctx.body = handlers.searchNotes(ctx.state.security)
  })

  router.post('/v1/api-keys', secure.route(...routes.createApiKey), async (ctx) => {
    ctx.status = 201
    ctx.body = await handlers.createApiKey(ctx.state.security)
  })
  router.get('/v1/api-keys', secure.route(...routes.listApiKeys), async (ctx) => {
    ctx.body = await handlers.listApiKeys(ctx.state.security)
  })
  router.post('/v1/api-keys/:id/rotate', secure.route(...routes.rotateApiKey), async (ctx) => {
    ctx.status = 201
    ctx.body = await handlers.rotateApiKey(ctx.state.security)
  })
  router.delete('/v1/api-keys/:id', secure.route(...routes.deleteApiKey), async (ctx) => {
    await handlers.deleteApiKey(ctx.state.security)
    ctx.status = 204
  })

  router.post('/v1/signed/notes', secure.route(...routes.signedNote), (ctx) => {
    ctx.status = 201
    ctx.body = handlers.createNote(ctx.state.security)
  })
  router.post('/v1/webhooks/notes', secure.route(...routes.webhookNote), async (ctx) => {
    const note = await handlers.receiveNoteEvent(ctx.state.security)
    if (note === undefined) ctx.status = 204
    else {
      ctx.status = 201
      ctx.body = note
    }
  })

  app.use(secure(security))
  app.use(router.routes())
  return app
}
