import { describe, it } from 'vitest'
import { findRedisBinaries, isCi } from './find-redis.js'

/**
 * `describe(name, fn)` for suites that start real Redis servers. When `redis-server` or
 * `redis-cli` is missing, CI fails the run (one failing test names what to install), and anywhere
 * else the suite is reported as skipped, with a warning on stderr saying so and how to fix it.
 */
export function describeWithRedis(name: string, fn: () => void): void {
  if (findRedisBinaries() !== undefined) {
    describe(name, fn)
    return
  }
  const missing = 'redis-server and redis-cli were not found (on PATH, or at REDIS_SERVER and REDIS_CLI)'
  if (isCi()) {
    describe(name, () => {
      it('has redis-server and redis-cli', () => {
        throw new Error(`${missing}: install Redis 7 on CI (apt-get install redis-server).`)
      })
    })
    return
  }
  console.warn(
    `\n!!! SKIPPED "${name}": ${missing}. Install Redis 7 (apt-get install redis-server, brew install redis) to run it.\n`,
  )
  describe.skip(name, fn)
}
