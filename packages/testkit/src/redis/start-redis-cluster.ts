import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { findRedisBinaries } from './find-redis.js'
import { freePort } from './free-port.js'
import { type RedisTestServer, startRedisServer } from './start-redis-server.js'

const run = promisify(execFile)

/** Options of {@link startRedisCluster}. */
export interface StartRedisClusterOptions {
  /** How many masters share the 16384 slots; Redis needs at least 3. Default: `3`. */
  readonly masters?: number
}

/** A Redis Cluster of masters only (no replicas) on 127.0.0.1. */
export interface RedisTestCluster {
  /** One server per master. */
  readonly nodes: readonly RedisTestServer[]
  /** Where an ioredis `Cluster` starts: `new Cluster(cluster.startupNodes)`. */
  readonly startupNodes: readonly { readonly host: string; readonly port: number }[]
  /** Stops every node and removes their directories. */
  stop(): Promise<void>
}

const readyTimeoutMs = 20_000

async function clusterState(cli: string, port: number): Promise<string> {
  const { stdout } = await run(cli, ['-h', '127.0.0.1', '-p', String(port), 'cluster', 'info'])
  return /cluster_state:(\w+)/.exec(stdout)?.[1] ?? 'unknown'
}

/** Resolves once every node reports `cluster_state:ok`, i.e. sees all slots served. */
async function waitUntilOk(cli: string, nodes: readonly RedisTestServer[]): Promise<void> {
  const deadline = Date.now() + readyTimeoutMs
  for (;;) {
    const states = await Promise.all(nodes.map((node) => clusterState(cli, node.port)))
    if (states.every((state) => state === 'ok')) return
    if (Date.now() > deadline)
      throw new Error(
        `The Redis test cluster was not ready within ${readyTimeoutMs} ms: ${states.join(', ')}`,
      )
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/**
 * Starts `masters` cluster-enabled `redis-server`s on free ports of 127.0.0.1 (each with its own
 * cluster bus port), joins them with `redis-cli --cluster create … --cluster-replicas 0`, and
 * resolves once every node sees all 16384 slots served.
 */
export async function startRedisCluster(options: StartRedisClusterOptions = {}): Promise<RedisTestCluster> {
  const masters = options.masters ?? 3
  if (!Number.isInteger(masters) || masters < 3) throw new Error('A Redis Cluster needs at least 3 masters.')
  const binaries = findRedisBinaries()
  if (binaries === undefined) throw new Error('redis-server and redis-cli were not found on PATH.')
  const started = await Promise.allSettled(
    Array.from({ length: masters }, async () =>
      startRedisServer({
        args: [
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          'nodes.conf',
          '--cluster-node-timeout',
          '5000',
          '--cluster-port',
          String(await freePort()),
        ],
      }),
    ),
  )
  const nodes = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []))
  const stop = async (): Promise<void> => {
    await Promise.all(nodes.map((node) => node.stop()))
  }
  try {
    const failed = started.find((result) => result.status === 'rejected')
    if (failed !== undefined) throw failed.reason
    await run(
      binaries.cli,
      [
        '--cluster',
        'create',
        ...nodes.map((node) => `127.0.0.1:${node.port}`),
        '--cluster-replicas',
        '0',
        '--cluster-yes',
      ],
      { timeout: readyTimeoutMs },
    )
    await waitUntilOk(binaries.cli, nodes)
  } catch (error) {
    await stop()
    throw error
  }
  return {
    nodes,
    startupNodes: nodes.map((node) => ({ host: node.host, port: node.port })),
    stop,
  }
}
