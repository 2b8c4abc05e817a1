import { createServer } from 'node:http'
import { parse } from 'node:url'
import {
  type ConformanceServer,
  type ConformanceVariant,
  createConformanceApp,
  listenOnFreePort,
  runConformanceSuite,
} from '@sec/testkit'
import express from 'express'
import { secure } from './index.js'

/** The conformance app on Express 5, listening on an ephemeral port of 127.0.0.1. */
export async function startExpressConformanceServer(variant: ConformanceVariant): Promise<ConformanceServer> {
  const { security, routes, handlers } = createConformanceApp(variant)
  const app = express()
  // Only the listed paths exist: no /HEALTH, no /health/.
  app.set('case sensitive routing', true)
  app.set('strict routing', true)
  app.use(secure(security))
  app.get('/health', (_req, res) => {
    res.json(handlers.health())
  })
  app.get('/v1/whoami', (req, res) => {
    res.json(handlers.whoami(req.security))
  })
  app.post('/v1/notes', secure.route(...routes.createNote), (req, res) => {
    res.status(201).json(handlers.createNote(req.security))
  })
  app.get('/v1/notes/:id', secure.route(...routes.getNote), (req, res) => {
    res.json(handlers.getNote(req.security, req.params.id))
  })
  app.get('/v1/boom', () => handlers.boom())
  app.use(secure.notFound())
  app.use(secure.errorHandler())
  return listenOnFreePort(createServer(app))
}

// Express's router takes the path from the legacy url.parse and, when that has none, skips every
// middleware for its final handler's 404 (which sets nosniff and a CSP of its own).
runConformanceSuite('express', startExpressConformanceServer, {
  frameworkAnsweredTarget: (target) => parse(target).pathname === null,
})
