import { serveFromEnv } from 'demo-domain/server'
import { startServer } from './start-server.js'

await serveFromEnv('koa-demo', 3003, startServer)
