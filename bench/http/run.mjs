// HTTP throughput, per framework: bare vs the @sec stack vs the peer stack, measured in one run.
// Each server runs in its own process; autocannon loads it from this process over loopback.
// Variants are interleaved round by round so drift on the machine hits all of them alike.
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
const rounds = Number(process.env.BENCH_ROUNDS ?? 3)
const duration = Number(process.env.BENCH_DURATION ?? 8)
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

async function measure(framework, variant) {
  const server = await startServer(framework, variant)
  try {
    await check(server.port)
    const options = {
      url: `http://127.0.0.1:${server.port}/v1/notes`,
      method: 'POST',
      headers,
      body,
      connections,
    }
    await autocannon({ ...options, duration: 1 })
    const before = cpuTicks(server.pid)
    const result = await autocannon({ ...options, duration })
    const cpuMicros = ((cpuTicks(server.pid) - before) * 1e6) / ticksPerSecond
    if (result.non2xx > 0 || result.errors > 0)
      throw new Error(`${framework}/${variant}: ${result.non2xx} non-2xx, ${result.errors} errors`)
    return { rps: result.requests.average, cpu: cpuMicros / result.requests.total }
  } finally {
    server.stop()
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

const samples = {}
for (let round = 0; round < rounds; round++) {
  for (const framework of frameworks) {
    for (const variant of variants) {
      const sample = await measure(framework, variant)
      samples[`${framework}/${variant}`] ??= []
      samples[`${framework}/${variant}`].push(sample)
      process.stderr.write(
        `round ${round + 1} ${framework}/${variant}: ${Math.round(sample.rps)} req/s, ${sample.cpu.toFixed(1)} µs CPU/request\n`,
      )
    }
  }
}

const medianOf = (framework, variant, key) => median(samples[`${framework}/${variant}`].map((s) => s[key]))

const machine = `${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`
console.log(`Machine: ${machine}`)
console.log(
  `Settings: scenario ${scenario}${auth === undefined ? '' : ' (rate limit in memory + RS256 bearer JWT)'}, ${rounds} rounds x ${duration} s, ${connections} connections, POST /v1/notes (${body.length} B JSON), medians, ${pinned ? 'server pinned to core 1 and load generator to core 0' : 'not pinned'}`,
)
console.log('')
console.log('Throughput (requests per second), as ratios; higher is better:')
console.log('')
console.log('| framework | @sec / bare | peer / bare | @sec / peer |')
console.log('|---|---|---|---|')
for (const framework of frameworks) {
  const [bare, sec, peer] = variants.map((variant) => medianOf(framework, variant, 'rps'))
  console.log(
    `| ${framework} | ${(sec / bare).toFixed(2)} | ${(peer / bare).toFixed(2)} | ${(sec / peer).toFixed(2)} |`,
  )
}
console.log('')
console.log('Server CPU time per request, as ratios; lower is better:')
console.log('')
console.log('| framework | @sec / bare | peer / bare | @sec / peer |')
console.log('|---|---|---|---|')
for (const framework of frameworks) {
  const [bare, sec, peer] = variants.map((variant) => medianOf(framework, variant, 'cpu'))
  console.log(
    `| ${framework} | ${(sec / bare).toFixed(2)} | ${(peer / bare).toFixed(2)} | ${(sec / peer).toFixed(2)} |`,
  )
}
