import { createHash } from 'node:crypto'
import { SecConfigError } from '@sec/core'
import type { Cluster, Redis } from 'ioredis'

/** An ioredis client: a single node (`Redis`, also through Sentinel) or a `Cluster`. */
export type RedisClient = Redis | Cluster

/**
 * A script defined on a client with `defineCommand`: EVALSHA, falling back to EVAL on NOSCRIPT.
 * Called with its keys first, then its arguments.
 */
export type ScriptCommand = (...keysAndArgs: string[]) => Promise<unknown>

/** The parts of an ioredis client the stores rely on, checked once at construction. */
interface ClientShape {
  readonly status: string
  defineCommand(name: string, definition: { lua: string; numberOfKeys: number }): void
  del(key: string): Promise<number>
}

/** Throws a configuration error unless `value` looks like an ioredis `Redis` or `Cluster`. */
export function assertRedisClient(path: string, value: unknown): asserts value is RedisClient {
  const candidate = value as Partial<Record<keyof ClientShape, unknown>> | null
  if (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.defineCommand === 'function' &&
    typeof candidate.del === 'function' &&
    typeof candidate.status === 'string'
  )
    return
  throw new SecConfigError(
    path,
    'must be an ioredis client: `new Redis(url)` or `new Cluster(nodes)` from the ioredis package (node-redis and other clients are not supported).',
  )
}

/**
 * Defines `lua`, which takes `numberOfKeys` keys (default 1), on `client` under a name derived from
 * its SHA-1 and returns the bound command.
 * ioredis's `defineCommand` adds a method to the client it is given; naming it after the script's
 * hash keeps stores of two @sec versions sharing one client from overwriting each other's script,
 * and defining it once keeps ioredis's per-connection "script loaded" memory.
 */
export function defineScript(client: RedisClient, lua: string, numberOfKeys = 1): ScriptCommand {
  const name = `sec_${createHash('sha1').update(lua).digest('hex').slice(0, 16)}`
  const methods = client as unknown as Record<string, ScriptCommand | undefined>
  if (typeof methods[name] !== 'function') client.defineCommand(name, { lua, numberOfKeys })
  return (methods[name] as ScriptCommand).bind(client)
}
