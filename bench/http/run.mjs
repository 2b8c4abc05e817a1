// HTTP throughput, per framework: bare vs the @sec stack vs the peer stack, measured in one run.
// Each server runs in its own process; autocannon loads it from this process over loopback.
// Variants are interleaved round by round so drift on the machine hits all of them alike.
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import os from 'node:os'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'

const here = fileURLToPath(new URL('.', import.meta.url))
const frameworks = (process.env.BENCH_FRAMEWORKS ?? 'express,fastify,koa').split(',')
const variants = ['bare', 'sec', 'peer']
const rounds = Number(process.env.BENCH_ROUNDS ?? 3)
const duration = Number(process.env.BENCH_DURATION ?? 8)
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10)

const body = JSON.stringify({
  title: 'Benchmark note',
  body: 'A short body for the benchmark.',
  tags: ['bench', 'http'],
})
const headers = {
  'content-type': 'application/json',
  origin: 'https://app.example.com',
  'x-forwarded-for': '203.0.113.9',
  'x-forwarded-proto': 'https',
}

async function startServer(framework, variant) {
  const child = spawn(process.execPath, [`${here}${framework}-server.mjs`, variant], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const [chunk] = await once(child.stdout, 'data')
  const port = Number(String(chunk).trim())
  if (!Number.isInteger(port)) throw new Error(`${framework}/${variant} did not report a port`)
  return { port, stop: () => child.kill() }
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
    const result = await autocannon({ ...options, duration })
    if (result.non2xx > 0 || result.errors > 0)
      throw new Error(`${framework}/${variant}: ${result.non2xx} non-2xx, ${result.errors} errors`)
    return result.requests.average
  } finally {
    server.stop()
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

const samples = {}
for (let round = 0; round < rounds; round++) {
  for (const framework of frameworks) {
    for (const variant of variants) {
      const rps = await measure(framework, variant)
      samples[`${framework}/${variant}`] ??= []
      samples[`${framework}/${variant}`].push(rps)
      process.stderr.write(`round ${round + 1} ${framework}/${variant}: ${Math.round(rps)} req/s\n`)
    }
  }
}

const rows = frameworks.map((framework) => {
  const [bare, sec, peer] = variants.map((variant) => median(samples[`${framework}/${variant}`]))
  return { framework, bare, sec, peer, secVsBare: sec / bare, peerVsBare: peer / bare, secVsPeer: sec / peer }
})

const machine = `${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`
console.log(`Machine: ${machine}`)
console.log(
  `Settings: ${rounds} rounds x ${duration} s, ${connections} connections, POST /v1/notes (${body.length} B JSON), medians`,
)
console.log('')
console.log('| framework | @sec / bare | peer / bare | @sec / peer |')
console.log('|---|---|---|---|')
for (const r of rows)
  console.log(
    `| ${r.framework} | ${r.secVsBare.toFixed(2)} | ${r.peerVsBare.toFixed(2)} | ${r.secVsPeer.toFixed(2)} |`,
  )
