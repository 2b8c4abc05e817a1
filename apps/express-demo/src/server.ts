import { serveFromEnv } from 'demo-domain/server'
import { startServer } from './start-server.js'

await serveFromEnv('express-demo', 3001, startServer)
