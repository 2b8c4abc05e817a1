import { type ChildProcess, fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { LimitAlgorithm, LimitPolicy } from '@sec/core'
import {
  describeWithRedis,
  type RedisTestCluster,
  type RedisTestServer,
  startRedisCluster,
  startRedisServer,
} from '@sec/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

// Exactness under real concurrency: several OS processes, each with its own connection, each
// firing all its decisions at once on one key. The workers run the built package (see
// decision-worker.mjs), so this tests what users install, script and client code included.
const workerPath = fileURLToPath(new URL('../testing/decision-worker.mjs', import.meta.url))
const workerCount = 4
const decisionsPerWorker = 400
/** Ten years, so no refill and no window end falls inside a round. */
const period = 315_360_000_000

interface RedisTarget {
  readonly nodes: readonly { readonly host: string; readonly port: number }[]
  readonly cluster: boolean
}

interface RoundResult {
  readonly allowed: number
  readonly denied: number
  readonly errors: readonly string[]
}

interface Round {
  readonly algorithm: LimitAlgorithm
  readonly limit: number
  readonly cost: number
  /** How many decisions the limit admits: limit / cost. */
  readonly admits: number
}

const rounds: readonly Round[] = [
  { algorithm: 'token-bucket', limit: 1000, cost: 1, admits: 1000 },
  { algorithm: 'fixed-window', limit: 1000, cost: 1, admits: 1000 },
  { algorithm: 'sliding-window', limit: 1000, cost: 1, admits: 1000 },
  { algorithm: 'sliding-log', limit: 500, cost: 1, admits: 500 },
  { algorithm: 'token-bucket', limit: 100, cost: 0.1, admits: 1000 },
  { algorithm: 'fixed-window', limit: 100, cost: 0.1, admits: 1000 },
  { algorithm: 'sliding-window', limit: 100, cost: 0.1, admits: 1000 },
]

function nextMessage<T>(child: ChildProcess, type: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: { type?: string }): void => {
      if (message.type !== type) return
      child.off('message', onMessage)
      child.off('exit', onExit)
      resolve(message as T)
    }
    const onExit = (code: number | null): void => {
      child.off('message', onMessage)
      reject(new Error(`A decision worker exited (${code}) before sending '${type}'.`))
    }
    child.on('message', onMessage)
    child.once('exit', onExit)
  })
}

async function startWorkers(target: RedisTarget): Promise<ChildProcess[]> {
  const children = Array.from({ length: workerCount }, () =>
    fork(workerPath, [], {
      env: { ...process.env, SEC_WORKER_REDIS: JSON.stringify(target) },
      execArgv: [],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    }),
  )
  await Promise.all(children.map((child) => nextMessage(child, 'ready')))
  return children
}

async function stopWorkers(children: readonly ChildProcess[]): Promise<void> {
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null) return resolve()
          child.once('exit', () => resolve())
          child.send({ type: 'exit' })
        }),
    ),
  )
}

describeWithRedis('redisStore exactness across processes', () => {
  let server: RedisTestServer
  let cluster: RedisTestCluster
  beforeAll(async () => {
    ;[server, cluster] = await Promise.all([startRedisServer(), startRedisCluster()])
  })
  afterAll(async () => {
    await Promise.all([server?.stop(), cluster?.stop()])
  })

  describe.each(['single node', '3-master cluster'])('on a %s', (topology) => {
    let workers: ChildProcess[] = []
    beforeAll(async () => {
      workers = await startWorkers(
        topology === 'single node'
          ? { nodes: [{ host: server.host, port: server.port }], cluster: false }
          : { nodes: cluster.startupNodes, cluster: true },
      )
    })
    afterAll(async () => {
      await stopWorkers(workers)
    })

    it.each(rounds)(
      `$algorithm, cost $cost: ${workerCount} processes × ${decisionsPerWorker} concurrent decisions admit exactly $admits`,
      async ({ algorithm, limit, cost, admits }) => {
        const policy: LimitPolicy = { algorithm, limit, period }
        const key = `exact:${algorithm}:${cost}`
        const startAt = Date.now() + 100
        const results = await Promise.all(
          workers.map((worker) => {
            const result = nextMessage<RoundResult>(worker, 'result')
            worker.send({ type: 'round', policy, key, cost, decisions: decisionsPerWorker, startAt })
            return result
          }),
        )
        const total = workerCount * decisionsPerWorker
        expect({
          allowed: results.reduce((sum, result) => sum + result.allowed, 0),
          denied: results.reduce((sum, result) => sum + result.denied, 0),
          errors: results.flatMap((result) => result.errors),
        }).toEqual({ allowed: admits, denied: total - admits, errors: [] })
      },
    )
  })
})
