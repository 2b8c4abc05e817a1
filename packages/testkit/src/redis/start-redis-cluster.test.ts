import { Cluster } from 'ioredis'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeWithRedis } from './describe-with-redis.js'
import { type RedisTestCluster, startRedisCluster } from './start-redis-cluster.js'

describeWithRedis('startRedisCluster', () => {
  let cluster: RedisTestCluster
  beforeAll(async () => {
    cluster = await startRedisCluster()
  }, 30_000)
  afterAll(async () => {
    await cluster?.stop()
  })

  it('forms a 3-master cluster that an ioredis Cluster writes to across slots', async () => {
    expect(cluster.nodes).toHaveLength(3)
    const client = new Cluster([...cluster.startupNodes])
    try {
      const keys = Array.from({ length: 30 }, (_, index) => `key-${index}`)
      await Promise.all(keys.map((key) => client.set(key, key)))
      expect(await Promise.all(keys.map((key) => client.get(key)))).toEqual(keys)
      const masters = client.nodes('master')
      expect(masters).toHaveLength(3)
      const counts = await Promise.all(masters.map((node) => node.dbsize()))
      expect(counts.every((count) => count > 0)).toBe(true)
      expect(counts.reduce((sum, count) => sum + count, 0)).toBe(30)
    } finally {
      client.disconnect()
    }
  })

  it('stops every node', async () => {
    const other = await startRedisCluster()
    await other.stop()
    expect(other.nodes.map((node) => node.pid)).toEqual([undefined, undefined, undefined])
  }, 30_000)

  it('needs at least 3 masters', async () => {
    await expect(startRedisCluster({ masters: 2 })).rejects.toThrow('at least 3 masters')
  })
})
