import { secure } from '@sec/express'
import { createNotesDemo, type NotesDemo } from 'demo-domain'
import express, { type Express } from 'express'

/**
 * The Notes API on Express 5. `secure(security)` runs the app-wide guards (among them `identify`,
 * which authenticates an access token or API key when one is sent, and the rate limit) on every
 * request; `secure.route(...)` adds a route's own guards (authentication, scopes, the policy, body
 * limit, validation) once Express matched the route; `notFound()` and `errorHandler()` turn
 * unmatched paths and thrown errors into problem+json with the security headers. `X-Powered-By` is
 * off for the few malformed targets Express answers before any middleware runs.
 */
export function createApp(demo: NotesDemo = createNotesDemo()): Express {
  const { security, routes, handlers } = demo
  const app = express()
  app.disable('x-powered-by')
  app.use(secure(security))

  app.get('/health', (_req, res) => {
    res.json(handlers.health())
  })

  app.post('/v1/auth/token', secure.route(...routes.token), async (req, res) => {
    res.json(await handlers.issueToken(req.security))
  })
  app.post('/v1/auth/refresh', secure.route(...routes.refresh), async (req, res) => {
    res.json(await handlers.refreshToken(req.security))
  })
  app.post('/v1/auth/logout', secure.route(...routes.logout), async (req, res) => {
    await handlers.signOut(req.security)
    res.status(204).end()
  })
  app.get('/.well-known/jwks.json', secure.route(...routes.jwks), async (_req, res) => {
    res.json(await handlers.jwks())
  })

  app.get('/v1/notes', secure.route(...routes.listNotes), (req, res) => {
    res.json(handlers.listNotes(req.security))
  })
  app.post('/v1/notes', secure.route(...routes.createNote), (req, res) => {
    res.status(201).json(handlers.createNote(req.security))
  })
  app.get('/v1/notes/:id', secure.route(...routes.getNote), (req, res) => {
    res.json(handlers.getNote(req.security))
  })
  app.delete('/v1/notes/:id', secure.route(...routes.deleteNote), (req, res) => {
    handlers.deleteNote(req.security)
    res.status(204).end()
  })
  app.get('/v1/search', secure.route(...routes.search), (req, res) => {
    res.json(handlers.searchNotes(req.security))
  })

  app.post('/v1/api-keys', secure.route(...routes.createApiKey), async (req, res) => {
    res.status(201).json(await handlers.createApiKey(req.security))
  })
  app.get('/v1/api-keys', secure.route(...routes.listApiKeys), async (req, res) => {
    res.json(await handlers.listApiKeys(req.security))
  })
  app.post('/v1/api-keys/:id/rotate', secure.route(...routes.rotateApiKey), async (req, res) => {
    res.status(201).json(await handlers.rotateApiKey(req.security))
  })
  app.delete('/v1/api-keys/:id', secure.route(...routes.deleteApiKey), async (req, res) => {
    await handlers.deleteApiKey(req.security)
    res.status(204).end()
  })

  app.post('/v1/signed/notes', secure.route(...routes.signedNote), (req, res) => {
    res.status(201).json(handlers.createNote(req.security))
  })
  app.post('/v1/webhooks/notes', secure.route(...routes.webhookNote), async (req, res) => {
    const note = await handlers.receiveNoteEvent(req.security)
    if (note === undefined) res.status(204).end()
    else res.status(201).json(note)
  })

  app.use(secure.notFound())
  app.use(secure.errorHandler())
  return app
}
