import { expect, it } from 'vitest'
import * as testkit from './index.js'

it('exports exactly the documented API', () => {
  expect(Object.keys(testkit).sort()).toEqual([
    'NoteParamsSchema',
    'NoteSchema',
    'boomSecret',
    'conformanceCaseGroups',
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
