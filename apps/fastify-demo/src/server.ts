import { serveFromEnv } from 'demo-domain/server'
import { startServer } from './start-server.js'

await serveFromEnv('fastify-demo', 3002, (where) => startServer({ ...where, logger: { level: 'warn' } }))
