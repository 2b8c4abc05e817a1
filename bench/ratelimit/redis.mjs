// Redis-backed decisions: @sec's token bucket and fixed window on redisStore vs rate-limiter-flexible's
// RateLimiterRedis (a fixed window: the like-for-like row), on the same redis-server, at 1 and 100
// decisions in flight. Also counts the Redis commands each decision costs, from INFO commandstats,
// for admitted and for blocked keys.
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { createServer } from 'node:net'
import { fixedWindow, tokenBucket } from '@sec/core/ratelimit'
import { redisStore } from '@sec/redis'
import Redis from 'ioredis'
import { RateLimiterRedis } from 'rate-limiter-flexible'

const rounds = Number(process.env.BENCH_ROUNDS ?? 5)
const decisions = Number(process.env.BENCH_OPS ?? 20_000)
const huge = 10_000_000

async function freePort() {
  const server = createServer().listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address()
  server.close()
  return port
}

const port = await freePort()
const redisServer = spawn('redis-server', ['--port', String(port), '--save', '', '--appendonly', 'no'], {
  stdio: ['ignore', 'pipe', 'inherit'],
})
for await (const chunk of redisServer.stdout) if (String(chunk).includes('Ready to accept')) break
const redis = new Redis({ port, host: '127.0.0.1' })
const admin = new Redis({ port, host: '127.0.0.1' })

const variants = {
  '@sec token bucket': (points) => {
    const limiter = tokenBucket({
      capacity: points,
      // The whole bucket refills in an hour, as rate-limiter-flexible's points per 3600 s.
      refillRate: points,
      interval: '1h',
      store: redisStore(redis, { timeoutMs: 2000 }),
    })
    return (key) => limiter.limit(key)
  },
  '@sec fixed window': (points) => {
    // Points per hour, as rate-limiter-flexible's points per 3600 s.
    const limiter = fixedWindow({
      limit: points,
      window: '1h',
      store: redisStore(redis, { timeoutMs: 2000 }),
    })
    return (key) => limiter.limit(key)
  },
  'rate-limiter-flexible': (points) => {
    const limiter = new RateLimiterRedis({ storeClient: redis, points, duration: 3600, keyPrefix: 'rlf' })
    return (key) => limiter.consume(key, 1).catch((rejection) => rejection)
  },
}

// CPU seconds redis-server's main thread has used, to split a decision's cost between the processes.
async function redisCpu() {
  const info = await admin.info('cpu')
  const field = (name) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? Number.NaN)
  return field('used_cpu_user_main_thread') + field('used_cpu_sys_main_thread')
}

async function run(decide, inFlight, keyOf) {
  let next = 0
  async function lane() {
    while (next < decisions) {
      const i = next++
      await decide(keyOf(i))
    }
  }
  const start = process.hrtime.bigint()
  await Promise.all(Array.from({ length: inFlight }, lane))
  return decisions / (Number(process.hrtime.bigint() - start) / 1e9)
}

// Commands per decision: the script calls the client sent (EVALSHA, EVAL), and every command
// INFO commandstats counted, which includes those a Lua script runs inside Redis.
async function commandsPerDecision(decide, keyOf, count) {
  await admin.config('RESETSTAT')
  for (let i = 0; i < count; i++) await decide(keyOf(i))
  const stats = await admin.info('commandstats')
  const calls = {}
  for (const match of stats.matchAll(/^cmdstat_([\w|]+):calls=(\d+)/gm)) calls[match[1]] = Number(match[2])
  const scripts = (calls.evalsha ?? 0) + (calls.eval ?? 0)
  let sent = 0
  for (const [command, n] of Object.entries(calls)) {
    if (command === 'info' || command === 'config' || command === 'client') continue
    sent += n
  }
  return { sent: sent / count, scripts: scripts / count }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const samples = {}
let round = 0
for (; round < rounds; round++) {
  for (const inFlight of [1, 100]) {
    for (const [name, make] of Object.entries(variants)) {
      await admin.flushall()
      const decide = make(huge)
      const tag = `${round}-${inFlight}`
      await run(decide, inFlight, (i) => `warm-${tag}-${i % 1000}`)
      const nodeBefore = process.cpuUsage()
      const redisBefore = await redisCpu()
      const rate = await run(decide, inFlight, (i) => `client-${tag}-${i % 10_000}`)
      const redisUs = ((await redisCpu()) - redisBefore) * 1e6
      const nodeCpu = process.cpuUsage(nodeBefore)
      const nodeUs = nodeCpu.user + nodeCpu.system
      samples[`${inFlight}|${name}`] ??= []
      samples[`${inFlight}|${name}`].push(rate)
      process.stderr.write(
        `round ${round + 1} ${inFlight} in flight ${name}: ${Math.round(rate)} decisions/s, CPU µs per decision: node ${(nodeUs / decisions).toFixed(1)}, redis-server ${(redisUs / decisions).toFixed(1)}\n`,
      )
    }
  }
}

const perDecision = {}
for (const [name, make] of Object.entries(variants)) {
  await admin.flushall()
  const admitted = await commandsPerDecision(make(huge), (i) => `fresh-${i}`, 1000)
  const decideBlocked = make(1)
  await decideBlocked('blocked')
  await decideBlocked('blocked')
  const blocked = await commandsPerDecision(decideBlocked, () => 'blocked', 1000)
  perDecision[name] = { admitted, blocked }
}

console.log(
  `Settings: ${rounds} rounds x ${decisions} decisions per variant, medians; redis-server on loopback`,
)
console.log('')
console.log(
  '| in flight | @sec limiter | @sec decisions/s | rate-limiter-flexible decisions/s | @sec / rate-limiter-flexible |',
)
console.log('|---|---|---|---|---|')
for (const inFlight of [1, 100]) {
  const rlf = median(samples[`${inFlight}|rate-limiter-flexible`])
  for (const name of ['@sec token bucket', '@sec fixed window']) {
    const sec = median(samples[`${inFlight}|${name}`])
    console.log(
      `| ${inFlight} | ${name.slice(5)} | ${Math.round(sec)} | ${Math.round(rlf)} | ${(sec / rlf).toFixed(2)} |`,
    )
  }
}
console.log('')
console.log(
  'Redis commands per decision (INFO commandstats; "all" includes the commands scripts run inside Redis):',
)
console.log('')
console.log(
  '| limiter | admitted key: script calls | admitted key: all | blocked key: script calls | blocked key: all |',
)
console.log('|---|---|---|---|---|')
for (const [name, { admitted, blocked }] of Object.entries(perDecision)) {
  console.log(
    `| ${name} | ${admitted.scripts.toFixed(2)} | ${admitted.sent.toFixed(2)} | ${blocked.scripts.toFixed(2)} | ${blocked.sent.toFixed(2)} |`,
  )
}

redis.disconnect()
admin.disconnect()
redisServer.kill()
