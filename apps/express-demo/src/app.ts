import { secure } from '@sec/express'
import { createNotesDemo, type NotesDemo } from 'demo-domain'
import express, { type Express } from 'express'

/**
 * The Notes API on Express 5. `secure(security)` runs the app-wide guards (the rate limit of
 * every path but `/health` among them) on every request; `secure.route(...)` adds a route's own
 * guards (body limit, validation, the search limit) once Express matched the route; `notFound()`
 * and `errorHandler()` turn unmatched paths and thrown errors into problem+json with the security
 * headers. `X-Powered-By` is off for the few malformed targets Express answers before any
 * middleware runs.
 */
export function createApp(demo: NotesDemo = createNotesDemo()): Express {
  const { security, routes, handlers } = demo
  const app = express()
  app.disable('x-powered-by')
  app.use(secure(security))

  app.get('/health', (_req, res) => {
    res.json(handlers.health())
  })
  app.get('/v1/notes', (_req, res) => {
    res.json(handlers.listNotes())
  })
  app.post('/v1/notes', secure.route(...routes.createNote), (req, res) => {
    res.status(201).json(handlers.createNote(req.security))
  })
  app.get('/v1/notes/:id', secure.route(...routes.getNote), (req, res) => {
    res.json(handlers.getNote(req.security))
  })
  app.get('/v1/search', secure.route(...routes.search), (req, res) => {
    res.json(handlers.searchNotes(req.security))
  })

  app.use(secure.notFound())
  app.use(secure.errorHandler())
  return app
}
