// HTTP throughput, per framework: bare vs the @sec stack vs the peer stack, measured in one run.
// Each server runs in its own process; autocannon loads it from this process over loopback.
// The three servers of a framework run side by side and take turns in short windows, cycle after
// cycle (the order rotating), and each cycle yields its own ratios from windows seconds apart: on a
// shared machine whose speed drifts by 2x over minutes, ratios of adjacent windows are far steadier
// than ratios of medians taken minutes apart. The tables report the median of the per-cycle ratios
// and the range that holds the middle half of them.
// BENCH_SCENARIO=auth adds a rate limit in memory and a bearer JWT (RS256) to both stacks.
import { execFileSync, spawn } from 'node:child_process'
import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import os from 'node:os'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'
import { authSetup } from './auth-setup.mjs'
import { body, headers as notesHeaders } from './request.mjs'

const here = fileURLToPath(new URL('.', import.meta.url))
const frameworks = (process.env.BENCH_FRAMEWORKS ?? 'express,fastify,koa').split(',')
const variants = ['bare', 'sec', 'peer']
const rounds = Number(process.env.BENCH_ROUNDS ?? 10)
const duration = Number(process.env.BENCH_DURATION ?? 3)
const warmup = Number(process.env.BENCH_WARMUP ?? 3)
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10)
const scenario = process.env.BENCH_SCENARIO ?? 'notes'
const auth = scenario === 'auth' ? await authSetup() : undefined
const headers = auth === undefined ? notesHeaders : { ...notesHeaders, authorization: `Bearer ${auth.token}` }
const serverEnv = auth === undefined ? process.env : { ...process.env, BENCH_JWKS: JSON.stringify(auth.jwks) }

// With two or more cores and taskset (Linux), the server gets core 1 and this process (the load
// generator) core 0, so the two do not take turns on the same core. BENCH_PIN=0 turns it off.
function canPin() {
  if (process.env.BENCH_PIN === '0' || os.cpus().length < 2) return false
  try {
    execFileSync('taskset', ['-a', '-p', '-c', '0', String(process.pid)], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}
const pinned = canPin()

async function startServer(framework, variant) {
  const server = [`${here}${framework}-server.mjs`, variant, scenario]
  const options = { stdio: ['ignore', 'pipe', 'inherit'], env: serverEnv }
  const child = pinned
    ? spawn('taskset', ['-c', '1', process.execPath, ...server], options)
    : spawn(process.execPath, server, options)
  const [chunk] = await once(child.stdout, 'data')
  const port = Number(String(chunk).trim())
  if (!Number.isInteger(port)) throw new Error(`${framework}/${variant} did not report a port`)
  return { port, pid: child.pid, stop: () => child.kill() }
}

// User + system CPU time of a process in clock ticks (fields 14 and 15 of /proc/<pid>/stat),
// Linux only. Server CPU per request is steadier than throughput on a shared machine, where the
// load generator competes with the server for the same cores.
const ticksPerSecond = 100
function cpuTicks(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return Number(fields[11]) + Number(fields[12])
}

async function check(port) {
  const response = await fetch(`http://127.0.0.1:${port}/v1/notes`, { method: 'POST', headers, body })
  if (response.status !== 201)
    throw new Error(`expected 201, got ${response.status}: ${await response.text()}`)
}

async function load(port, seconds) {
  return autocannon({
    url: `http://127.0.0.1:${port}/v1/notes`,
    method: 'POST',
    headers,
    body,
    connections,
    duration: seconds,
  })
}

async function window(framework, variant, server) {
  const before = cpuTicks(server.pid)
  const result = await load(server.port, duration)
  const cpuMicros = ((cpuTicks(server.pid) - before) * 1e6) / ticksPerSecond
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${framework}/${variant}: ${result.non2xx} non-2xx, ${result.errors} errors`)
  return { rps: result.requests.average, cpu: cpuMicros / result.requests.total }
}

const quantile = (xs, q) => {
  const sorted = [...xs].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))))]
}
const median = (xs) => quantile(xs, 0.5)

// Per framework and cycle: { bare, sec, peer } samples of the same cycle.
const cycles = {}
for (const framework of frameworks) {
  const servers = {}
  try {
    for (const variant of variants) servers[variant] = await startServer(framework, variant)
    for (const variant of variants) {
      await check(servers[variant].port)
      await load(servers[variant].port, warmup)
    }
    cycles[framework] = []
    for (let cycle = 0; cycle < rounds; cycle++) {
      const order = variants.map((_, i) => variants[(i + cycle) % variants.length])
      const samples = {}
      for (const variant of order) {
        samples[variant] = await window(framework, variant, servers[variant])
        process.stderr.write(
          `cycle ${cycle + 1} ${framework}/${variant}: ${Math.round(samples[variant].rps)} req/s, ${samples[variant].cpu.toFixed(1)} µs CPU/request\n`,
        )
      }
      cycles[framework].push(samples)
    }
  } finally {
    for (const server of Object.values(servers)) server.stop()
  }
}

const machine = `${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`
console.log(
  `Machine: ${machine}; load average at the end ${os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}`,
)
console.log(
  `Settings: scenario ${scenario}${auth === undefined ? '' : ' (rate limit in memory + RS256 bearer JWT)'}, ${rounds} cycles x 3 variants x ${duration} s windows after a ${warmup} s warm-up each, ${connections} connections, POST /v1/notes (${body.length} B JSON), ${pinned ? 'servers pinned to core 1 and load generator to core 0' : 'not pinned'}`,
)

// "median (middle half: low–high)" of one ratio over the cycles.
function summary(framework, key, top, bottom) {
  const ratios = cycles[framework].map((samples) => samples[top][key] / samples[bottom][key])
  const format = (x) => x.toFixed(2)
  return `${format(median(ratios))} (${format(quantile(ratios, 0.25))}–${format(quantile(ratios, 0.75))})`
}

function table(title, key, better) {
  console.log('')
  console.log(`${title}; ${better}. Median of the per-cycle ratios (middle half of the cycles):`)
  console.log('')
  console.log('| framework | @sec / bare | peer / bare | @sec / peer | cycles where @sec beats peer |')
  console.log('|---|---|---|---|---|')
  for (const framework of frameworks) {
    const wins = cycles[framework].filter((samples) =>
      key === 'rps' ? samples.sec.rps > samples.peer.rps : samples.sec.cpu < samples.peer.cpu,
    ).length
    console.log(
      `| ${framework} | ${summary(framework, key, 'sec', 'bare')} | ${summary(framework, key, 'peer', 'bare')} | ${summary(framework, key, 'sec', 'peer')} | ${wins} of ${cycles[framework].length} |`,
    )
  }
}

table('Throughput (requests per second), as ratios', 'rps', 'higher is better')
table('Server CPU time per request, as ratios', 'cpu', 'lower is better')
