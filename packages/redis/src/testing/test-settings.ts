import type { LimitAlgorithm } from '@sec/core'

/** Every algorithm the store's script decides, for tests that run each one. */
export const algorithms: readonly LimitAlgorithm[] = [
  'token-bucket',
  'fixed-window',
  'sliding-window',
  'sliding-log',
]

/**
 * The store timeout of tests about what Redis decides rather than about timeouts: a generous
 * budget keeps a busy machine (several suites at once, a cluster forming) from failing them.
 */
export const functionalTimeoutMs = 2000
