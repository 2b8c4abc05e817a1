import { runConformanceSuite } from '@sec/testkit'
import { startFastifyConformanceServer } from './testing/conformance-server.js'

runConformanceSuite('fastify', startFastifyConformanceServer)
