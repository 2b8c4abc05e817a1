import { runDemoSuite } from 'demo-domain/suite'
import { startServer } from './start-server.js'

runDemoSuite('express', () => startServer({ port: 0 }))
