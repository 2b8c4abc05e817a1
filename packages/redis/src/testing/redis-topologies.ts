import {
  freePort,
  type RedisTestCluster,
  type RedisTestServer,
  startRedisCluster,
  startRedisServer,
} from '@sec/testkit'
import { Cluster, Redis } from 'ioredis'
import { afterAll, beforeAll } from 'vitest'

/** Where a store under test keeps its data. */
export type Topology = 'single node' | '3-master cluster'

export const topologies: readonly Topology[] = ['single node', '3-master cluster']

/** A single `redis-server` and a 3-master cluster, started for one test file. */
export interface RedisTopologies {
  /** A connected client of `topology`; disconnected after the file's tests. */
  connect(topology: Topology): Promise<Redis | Cluster>
}

/**
 * Starts a single node and a 3-master cluster before the file's tests (in a `beforeAll` of the
 * calling `describe`) and stops them, and every client handed out, after.
 */
export function useRedisTopologies(): RedisTopologies {
  let server: RedisTestServer | undefined
  let cluster: RedisTestCluster | undefined
  const clients: (Redis | Cluster)[] = []
  beforeAll(async () => {
    ;[server, cluster] = await Promise.all([startRedisServer(), startRedisCluster()])
  })
  afterAll(async () => {
    for (const client of clients) client.disconnect()
    await Promise.all([server?.stop(), cluster?.stop()])
  })
  return {
    async connect(topology) {
      if (server === undefined || cluster === undefined) throw new Error('Redis has not started yet.')
      const client =
        topology === 'single node'
          ? new Redis(server.port, '127.0.0.1')
          : new Cluster([...cluster.startupNodes])
      clients.push(client)
      await client.ping()
      return client
    },
  }
}

/**
 * A client of a port nothing listens on, that never retries for long: calls on it fail as they
 * would against a Redis that is down. Disconnect it after use.
 */
export async function unreachableClient(): Promise<Redis> {
  const client = new Redis({ port: await freePort(), host: '127.0.0.1', lazyConnect: true })
  // The failures are the point: keep ioredis from logging each reconnection error.
  client.on('error', () => {})
  return client
}

let prefixes = 0

/** A key prefix no other store of this test run uses, so each test starts from empty data. */
export function freshPrefix(name: string): string {
  prefixes += 1
  return `test:${name}:${prefixes}:`
}
