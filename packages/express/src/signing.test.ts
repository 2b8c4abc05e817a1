import { createServer } from 'node:http'
import { createSigningApp, listenOnFreePort, runSigningSuite, signingPaths } from '@sec/testkit'
import express from 'express'
import { secure } from './index.js'

/** The signing app on Express 5: each verifier is a route guard; no body parser runs before it. */
function startExpressSigningServer() {
  const { security, routes, handlers } = createSigningApp()
  const app = express()
  app.use(secure(security))
  app.post(signingPaths.sigv4, secure.route(...routes.sigv4), (req, res) => {
    res.json(handlers.echo(req.security))
  })
  app.post(signingPaths.messageSignature, secure.route(...routes.messageSignature), (req, res) => {
    res.json(handlers.echo(req.security))
  })
  app.post(signingPaths.webhook, secure.route(...routes.webhook), (req, res) => {
    res.json(handlers.echo(req.security))
  })
  app.post(signingPaths.stripe, secure.route(...routes.stripe), (req, res) => {
    res.json(handlers.echo(req.security))
  })
  app.use(secure.notFound())
  app.use(secure.errorHandler())
  return listenOnFreePort(createServer(app))
}

runSigningSuite('express', startExpressSigningServer)
