#!/usr/bin/env node
// Starts the Notes demos (all four, or the ones named), each on its own port, and waits until
// every one answers GET /health before printing its URL. Ctrl-C is passed on to each of them
// (SIGINT to its process group), and they are killed if they have not stopped 5 s later.
//
//   node scripts/demo.mjs [express|fastify|koa|next ...] [--no-build]
//
// Unless --no-build is given, the demos and the packages they use are built first with turbo
// (cached, so a second start costs a second or two).
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const host = '127.0.0.1'
const readyTimeoutMs = 60_000
const stopTimeoutMs = 5_000

const nodeServer = (name, port) => ({
  name,
  port,
  dir: join(root, 'apps', `${name}-demo`),
  args: ['dist/server.js'],
})

const demos = {
  express: nodeServer('express', 3001),
  fastify: nodeServer('fastify', 3002),
  koa: nodeServer('koa', 3003),
  next: {
    name: 'next',
    port: 3004,
    dir: join(root, 'apps', 'next-demo'),
    args: [
      createRequire(join(root, 'apps', 'next-demo', 'package.json')).resolve('next/dist/bin/next'),
      'start',
      '-H',
      host,
      '-p',
      '3004',
    ],
  },
}

function usage(message) {
  console.error(`${message}\nUsage: node scripts/demo.mjs [${Object.keys(demos).join('|')} ...] [--no-build]`)
  process.exit(2)
}

const args = process.argv.slice(2)
const build = !args.includes('--no-build')
const names = args.filter((a) => a !== '--no-build')
for (const name of names) if (!(name in demos)) usage(`Unknown demo "${name}".`)
const selected = (names.length > 0 ? [...new Set(names)] : Object.keys(demos)).map((n) => demos[n])

function run(command, commandArgs) {
  return new Promise((resolve) => {
    const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1' }
    const child = spawn(command, commandArgs, { cwd: root, env, stdio: 'inherit' })
    child.on('error', () => resolve(1))
    child.on('exit', (code, signal) => resolve(signal === null ? code : 1))
  })
}

if (build) {
  const filters = selected.map((d) => `--filter=${d.name}-demo...`)
  console.log(`Building ${selected.map((d) => `${d.name}-demo`).join(', ')} and their packages…`)
  const turbo = join(root, 'node_modules', 'turbo', 'bin', 'turbo')
  const code = await run(process.execPath, [turbo, 'run', 'build', ...filters, '--output-logs=errors-only'])
  if (code !== 0) {
    console.error('The build failed; no demo was started.')
    process.exit(1)
  }
}

for (const demo of selected) {
  const built =
    demo.name === 'next' ? join(demo.dir, '.next', 'BUILD_ID') : join(demo.dir, 'dist', 'server.js')
  if (!existsSync(built)) {
    console.error(`${demo.name}-demo is not built (${built} is missing). Run without --no-build.`)
    process.exit(1)
  }
}

const children = new Map()
let stopping = false

function prefixLines(stream, label, out) {
  let pending = ''
  stream.setEncoding('utf8')
  stream.on('data', (chunk) => {
    pending += chunk
    const lines = pending.split('\n')
    pending = lines.pop() ?? ''
    for (const line of lines) out.write(`${label} ${line}\n`)
  })
  stream.on('end', () => {
    if (pending !== '') out.write(`${label} ${pending}\n`)
  })
}

function start(demo) {
  const child = spawn(process.execPath, demo.args, {
    cwd: demo.dir,
    env: { ...process.env, PORT: String(demo.port), HOST: host, NEXT_TELEMETRY_DISABLED: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
    // A process group per demo: `next start` runs its server in a child process, and a signal to
    // the group reaches it too.
    detached: true,
  })
  const label = `[${demo.name}]`.padEnd(10)
  prefixLines(child.stdout, label, process.stdout)
  prefixLines(child.stderr, label, process.stderr)
  const exited = new Promise((resolve) => {
    child.on('error', (error) => {
      console.error(`${label} could not start: ${error.message}`)
      resolve(1)
    })
    child.on('exit', (code, signal) => resolve(signal === null ? code : signal))
  })
  children.set(demo.name, { child, exited })
  exited.then((code) => {
    children.delete(demo.name)
    if (!stopping) {
      signalGroup(child, 'SIGTERM')
      console.error(`${label} exited (${code}); stopping the others.`)
      void stopAll(1)
    }
  })
  return exited
}

async function answersHealth(url) {
  try {
    const response = await fetch(`${url}/health`, { redirect: 'manual', signal: AbortSignal.timeout(2_000) })
    await response.body?.cancel()
    return response.status === 200
  } catch {
    return false
  }
}

async function waitUntilReady(demo, exited) {
  const url = `http://${host}:${demo.port}`
  const deadline = Date.now() + readyTimeoutMs
  let gone = false
  exited.then(() => {
    gone = true
  })
  while (!gone && Date.now() < deadline) {
    if (await answersHealth(url)) return url
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  throw new Error(
    gone
      ? `${demo.name}-demo exited before it was ready`
      : `${demo.name}-demo did not answer ${url}/health within ${readyTimeoutMs / 1000} s`,
  )
}

function signalGroup(child, signal) {
  try {
    process.kill(-child.pid, signal)
  } catch {
    // Already gone.
  }
}

async function stopAll(exitCode) {
  if (stopping) return
  stopping = true
  const running = [...children.values()]
  for (const { child } of running) signalGroup(child, 'SIGINT')
  const timer = setTimeout(() => {
    for (const { child } of running) signalGroup(child, 'SIGKILL')
  }, stopTimeoutMs)
  await Promise.all(running.map((r) => r.exited))
  clearTimeout(timer)
  process.exit(exitCode)
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (!stopping) console.log('\nStopping the demos…')
    void stopAll(0)
  })
}

try {
  const urls = await Promise.all(selected.map((demo) => waitUntilReady(demo, start(demo))))
  if (!stopping) {
    console.log('\nThe Notes demos are listening:')
    selected.forEach((demo, i) => {
      console.log(`  ${`${demo.name}-demo`.padEnd(13)} ${urls[i]}   (curl ${urls[i]}/health)`)
    })
    console.log('Press Ctrl-C to stop.\n')
  }
} catch (error) {
  if (!stopping) {
    console.error(error instanceof Error ? error.message : String(error))
    await stopAll(1)
  }
}
