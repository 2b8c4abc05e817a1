import { expect, it } from 'vitest'
import * as testkit from './index.js'

it('exports exactly the documented API', () => {
  expect(Object.keys(testkit).sort()).toEqual([
    'NoteParamsSchema',
    'NoteSchema',
    'boomSecret',
    'buildIfStale',
    'conformanceApiKeys',
    'conformanceAudience',
    'conformanceCaseGroups',
    'conformanceIssuer',
    'conformancePublicJwk',
    'conformanceTokens',
    'createConformanceApp',
    'createSigningApp',
    'describeWithRedis',
    'findRedisBinaries',
    'freePort',
    'ignoredHeaders',
    'isCi',
    'listenOnFreePort',
    'normalizeResponse',
    'runConformanceSuite',
    'runSigningSuite',
    'securityHeaderStatuses',
    'securityHeaders',
    'sendRequest',
    'signedJsonBody',
    'signingCredentials',
    'signingPaths',
    'startRedisCluster',
    'startRedisServer',
  ])
})
