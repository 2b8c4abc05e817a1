import { runDemoSuite } from 'demo-domain/suite'
import { beforeAll } from 'vitest'
import { buildIfStale, startNextServer } from './next-server.js'

// `next build` takes 35 to 50 s on two cores; under `pnpm test` turbo has built the app already.
beforeAll(buildIfStale, 180_000)

runDemoSuite('next', startNextServer, {
  startTimeout: 30_000,
  frameworkVaryTokens: [
    'rsc',
    'next-router-state-tree',
    'next-router-prefetch',
    'next-router-segment-prefetch',
  ],
})
