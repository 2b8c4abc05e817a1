import { runDemoSuite } from 'demo-domain/suite'
import { startServer } from './start-server.js'

runDemoSuite('fastify', () => startServer({ port: 0 }))
