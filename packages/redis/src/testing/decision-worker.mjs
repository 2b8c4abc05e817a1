// A separate OS process for the exactness tests: it runs the BUILT @sec/redis (dist, through the
// package's own name) on its own ioredis connection, and fires every decision of a round at once.
// Plain JavaScript so that `node` runs it as is; the test's global setup builds dist first.
import { redisStore } from '@sec/redis'
import { Cluster, Redis } from 'ioredis'

const { nodes, cluster } = JSON.parse(process.env.SEC_WORKER_REDIS ?? '{}')
const first = nodes[0]
const client = cluster ? new Cluster(nodes) : new Redis({ host: first.host, port: first.port })
const store = redisStore(client, { timeoutMs: 30_000 })

async function round({ policy, key, cost, decisions, startAt }) {
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, startAt - Date.now())))
  const settled = await Promise.allSettled(
    Array.from({ length: decisions }, () => store.decide(policy, key, cost)),
  )
  let allowed = 0
  let denied = 0
  const errors = []
  for (const result of settled) {
    if (result.status === 'rejected') errors.push(String(result.reason))
    else if (result.value.allowed) allowed++
    else denied++
  }
  return { allowed, denied, errors }
}

process.on('message', (message) => {
  if (message.type === 'round') {
    round(message).then((result) => process.send({ type: 'result', ...result }))
  } else if (message.type === 'exit') {
    client.disconnect()
    process.disconnect()
  }
})

// A decision on a throwaway key loads the script on this connection before the first round.
store
  .decide({ algorithm: 'fixed-window', limit: 1, period: 1000 }, `warm-up:${process.pid}`, 0)
  .then(() => process.send({ type: 'ready' }))
