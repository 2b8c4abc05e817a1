import { expect, it } from 'vitest'
import * as testkit from './index.js'

it('exports exactly the documented API', () => {
  expect(Object.keys(testkit).sort()).toEqual([
    'NoteParamsSchema',
    'NoteSchema',
    'boomSecret',
    'conformanceApiKeys',
    'conformanceAudience',
    'conformanceCaseGroups',
    'conformanceIssuer',
    'conformancePublicJwk',
    'conformanceTokens',
    'createConformanceApp',
    'describeWithRedis',
    'findRedisBinaries',
    'freePort',
    'ignoredHeaders',
    'isCi',
    'listenOnFreePort',
    'normalizeResponse',
    'runConformanceSuite',
    'securityHeaderStatuses',
    'securityHeaders',
    'sendRequest',
    'startRedisCluster',
    'startRedisServer',
  ])
})
