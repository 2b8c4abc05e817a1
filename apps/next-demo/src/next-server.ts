import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { createServer } from 'node:net'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const appDir = join(dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(join(appDir, 'package.json'))
const nextBin = require.resolve('next/dist/bin/next')
const buildId = join(appDir, '.next', 'BUILD_ID')

/** What the build is made of: the app's own files and the built packages it imports. */
const buildInputs = [
  join(appDir, 'src'),
  join(appDir, 'next.config.ts'),
  join(appDir, 'package.json'),
  join(appDir, 'tsconfig.json'),
  ...['demo-domain', '@sec/core', '@sec/next'].map((name) =>
    join(dirname(require.resolve(`${name}/package.json`)), 'dist'),
  ),
]

function newestChange(path: string): number {
  if (!existsSync(path)) return 0
  const stat = statSync(path)
  if (!stat.isDirectory()) return stat.mtimeMs
  let newest = stat.mtimeMs
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestChange(join(path, entry)))
  return newest
}

// `next start` runs the server in a child process of its own: each run gets its own process
// group, so that stopping it stops that child too. Without REDIS_URL, whatever the environment
// holds: every test server counts its rate limits afresh, in its own memory.
function run(args: readonly string[]): ChildProcess {
  const { REDIS_URL: _shared, ...env } = process.env
  return spawn(process.execPath, [nextBin, ...args], {
    cwd: appDir,
    env: { ...env, NEXT_TELEMETRY_DISABLED: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  })
}

function stop(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return
  try {
    process.kill(-child.pid, signal)
  } catch {
    // The group is already gone.
  }
}

function collect(child: ChildProcess): () => string {
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8')
  })
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8')
  })
  return () => output
}

/**
 * Runs `next build` unless `.next` is newer than every input (turbo builds the app before its
 * tests, so under `pnpm test` this is a no-op).
 */
export async function buildIfStale(): Promise<void> {
  const builtAt = existsSync(buildId) ? statSync(buildId).mtimeMs : 0
  if (builtAt > Math.max(...buildInputs.map(newestChange))) return
  const child = run(['build'])
  const output = collect(child)
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve))
  if (code !== 0) throw new Error(`next build failed (${code}):\n${output()}`)
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject()))
    })
  })
}

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(1_000) })
    await response.body?.cancel()
    return true
  } catch {
    return false
  }
}

/** A `next start` server. */
export interface NextServer {
  /** Its base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string
  /** Stops it and resolves once it exited. */
  close(): Promise<void>
}

/** Starts the built app with `next start -H 127.0.0.1` on a free port, as the `start` script does. */
export async function startNextServer(): Promise<NextServer> {
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const child = run(['start', '-H', '127.0.0.1', '-p', String(port)])
  const output = collect(child)
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()))
  let gone = false
  void exited.then(() => {
    gone = true
  })
  const deadline = Date.now() + 30_000
  while (!(await answers(`${url}/health`))) {
    if (gone || Date.now() > deadline) {
      stop(child, 'SIGKILL')
      throw new Error(`next start did not answer on ${url}:\n${output()}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  return {
    url,
    async close() {
      stop(child, 'SIGTERM')
      await exited
    },
  }
}
