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
  app.delete('/v1/notes/:id', secure.route(...routes.deleteNote), (req, res) => {
    handlers.deleteNote(req.security, req.params.id)
    res.status(204).end()
  })
  app.get('/v1/private', secure.route(...routes.readPrivate), (req, res) => {
    res.json(handlers.principal(req.security))
  })
  app.get('/v1/machine', secure.route(...routes.machine), (req, res) => {
    res.json(handlers.principal(req.security))
  })
  app.get('/v1/boom', () => handlers.boom())
  app.use(secure.notFound())
  app.use(secure.errorHandler())
  return listenOnFreePort(createServer(app))
}

/**
 * Whether Express's router finds no path in a target, and then skips every middleware for its final
 * handler's 404 (which sets nosniff and a CSP of its own). The router reads the path with parseurl:
 * a target without `#` or whitespace always has one; any other goes through the legacy url.parse,
 * which may find none (`/\\a?@#` reads `a?@` as a host) or throw (an undecodable `user@` part, as in
 * `/\\%ZZ@a#`), and the router takes a throw for no path too.
 */
function answeredByExpress(target: string): boolean {
  if (!/[\t\n\f\r #\u00a0\ufeff]/.test(target)) return false
  try {
    return parse(target).pathname === null
  } catch {
    return true
  }
}

runConformanceSuite('express', startExpressConformanceServer, { frameworkAnsweredTarget: answeredByExpress })
