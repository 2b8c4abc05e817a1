import { spawnSync } from 'node:child_process'

/** The Redis programs the test servers run. */
export interface RedisBinaries {
  /** The `redis-server` executable. */
  readonly server: string
  /** The `redis-cli` executable, used to form clusters. */
  readonly cli: string
  /** What `redis-server --version` printed, e.g. `Redis server v=7.0.15 …`. */
  readonly version: string
}

let found: RedisBinaries | null | undefined

/**
 * Finds `redis-server` and `redis-cli` on `PATH` (or at `REDIS_SERVER` and `REDIS_CLI` when set),
 * once per process. `undefined` when either is missing.
 */
export function findRedisBinaries(): RedisBinaries | undefined {
  if (found === undefined) {
    const server = process.env.REDIS_SERVER ?? 'redis-server'
    const cli = process.env.REDIS_CLI ?? 'redis-cli'
    const serverVersion = spawnSync(server, ['--version'], { encoding: 'utf8' })
    const cliVersion = spawnSync(cli, ['--version'], { encoding: 'utf8' })
    found =
      serverVersion.status === 0 && cliVersion.status === 0
        ? { server, cli, version: serverVersion.stdout.trim() }
        : null
  }
  return found ?? undefined
}

/** Whether this run is CI's (`CI` set to anything but `''`, `0` or `false`), where skipping is failing. */
export function isCi(): boolean {
  const ci = process.env.CI
  return ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false'
}
