import { runDemoSuite } from 'demo-domain/suite'
import { startServer } from './start-server.js'

runDemoSuite('koa', () => startServer({ port: 0 }))
