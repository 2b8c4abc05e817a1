import { runConformanceSuite } from '@sec/testkit'
import { startNextConformanceServer } from './testing/conformance-server.js'

runConformanceSuite('next', startNextConformanceServer, {
  // Next.js adds these to every App Router response, before any handler runs.
  frameworkVaryTokens: [
    'rsc',
    'next-router-state-tree',
    'next-router-prefetch',
    'next-router-segment-prefetch',
  ],
  // Next.js answers undecodable paths (500) and `//` or `\` paths (308) itself; see the README.
  frameworkOwnedTargets: true,
  // Next.js builds the Request from Node's req.headers, which keeps only the first Authorization
  // line of a request that repeats it: the guards never see the others.
  frameworkFirstLineOnly: ['authorization'],
})
