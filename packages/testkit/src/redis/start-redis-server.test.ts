import { existsSync } from 'node:fs'
import { Redis } from 'ioredis'
import { afterAll, expect, it } from 'vitest'
import { describeWithRedis } from './describe-with-redis.js'
import { type RedisTestServer, startRedisServer } from './start-redis-server.js'

describeWithRedis('startRedisServer', () => {
  const servers: RedisTestServer[] = []
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()))
  })

  it('starts a server on a free port that answers, without persistence', async () => {
    const server = await startRedisServer()
    servers.push(server)
    expect(server.url).toBe(`redis://127.0.0.1:${server.port}`)
    const client = new Redis(server.port, '127.0.0.1')
    try {
      expect(await client.ping()).toBe('PONG')
      expect(await client.config('GET', 'save')).toEqual(['save', ''])
      expect(await client.config('GET', 'appendonly')).toEqual(['appendonly', 'no'])
    } finally {
      client.disconnect()
    }
  })

  it('kills, restarts on the same port with empty data, and stops removing its directory', async () => {
    const server = await startRedisServer()
    servers.push(server)
    const client = new Redis({ port: server.port, host: '127.0.0.1', lazyConnect: true })
    await client.connect()
    try {
      await client.set('k', 'v')
      const firstPid = server.pid
      await server.kill()
      expect(server.pid).toBeUndefined()
      expect(() => process.kill(firstPid ?? 0, 0)).toThrow()
      await server.restart()
      expect(server.pid).not.toBe(firstPid)
      expect(await client.get('k')).toBeNull()
    } finally {
      client.disconnect()
    }
    await server.stop()
    expect(server.pid).toBeUndefined()
    expect(existsSync(server.dir)).toBe(false)
    await expect(server.restart()).rejects.toThrow('was stopped')
  })

  it('refuses to start on a port already taken', async () => {
    const server = await startRedisServer()
    servers.push(server)
    await expect(startRedisServer({ port: server.port })).rejects.toThrow(/exited/)
  })
})
