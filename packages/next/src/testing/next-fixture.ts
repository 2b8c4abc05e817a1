import { spawn } from 'node:child_process'
import { readdirSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const packageDir = fileURLToPath(new URL('../..', import.meta.url))

/** The Next.js app the integration tests run: route files that use this package's source. */
export const fixtureDir = join(packageDir, 'test', 'fixture')

const nextBin = createRequire(join(packageDir, 'package.json')).resolve('next/dist/bin/next')

/** What the fixture's build is made of: when one of these changed, it is rebuilt. */
const buildInputs = [
  join(fixtureDir, 'app'),
  join(fixtureDir, 'lib'),
  join(fixtureDir, 'next.config.ts'),
  join(fixtureDir, 'tsconfig.json'),
  join(packageDir, 'src'),
  join(packageDir, '..', 'testkit', 'src', 'app'),
  join(packageDir, 'node_modules', '@sec', 'core', 'dist'),
]

/** Tests and test support are no part of what the fixture bundles. */
function bundled(name: string): boolean {
  return name !== 'testing' && !name.endsWith('.test.ts')
}

function newestChange(path: string): number {
  const stat = statSync(path, { throwIfNoEntry: false })
  if (stat === undefined) return Number.POSITIVE_INFINITY
  if (!stat.isDirectory()) return stat.mtimeMs
  let newest = 0
  for (const entry of readdirSync(path)) {
    if (bundled(entry)) newest = Math.max(newest, newestChange(join(path, entry)))
  }
  return newest
}

function builtAt(): number {
  try {
    return statSync(join(fixtureDir, '.next', 'BUILD_ID')).mtimeMs
  } catch {
    return 0
  }
}

const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' }

function run(args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [nextBin, ...args], { cwd: fixtureDir, env, stdio: 'pipe' })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString()
    })
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString()
    })
    child.on('error', reject)
    child.on('exit', (code) => {
      if (code === 0) resolve()
      else reject(new Error(`next ${args.join(' ')} exited with ${code}:\n${output}`))
    })
  })
}

/**
 * Builds the fixture with `next build` unless its last build is newer than every file it is made
 * of. Webpack, because Turbopack does not map the `.js` imports of TypeScript sources to `.ts`.
 */
export async function buildFixture(): Promise<void> {
  if (builtAt() > Math.max(...buildInputs.map(newestChange))) return
  await run(['build', '--webpack'])
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => {
        if (address === null || typeof address === 'string') reject(new Error('No port'))
        else resolve(address.port)
      })
    })
  })
}

/** A running `next start`. */
export interface NextServer {
  readonly url: string
  close(): Promise<void>
}

/**
 * Starts the built fixture with `next start` on a free port of 127.0.0.1, with `environment`
 * added to its environment (e.g. `SEC_CONFORMANCE_VARIANT`). Resolves once Next says it is ready.
 */
export async function startFixture(environment: Readonly<Record<string, string>> = {}): Promise<NextServer> {
  const port = await freePort()
  const child = spawn(process.execPath, [nextBin, 'start', '-p', String(port), '-H', '127.0.0.1'], {
    cwd: fixtureDir,
    env: { ...env, ...environment },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  let output = ''
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill()
      reject(new Error(`next start was not ready within 30 s:\n${output}`))
    }, 30_000)
    const onOutput = (chunk: Buffer) => {
      output += chunk.toString()
      if (!output.includes('Ready in')) return
      clearTimeout(timer)
      resolve()
    }
    child.stdout.on('data', onOutput)
    child.stderr.on('data', onOutput)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`next start exited with ${code}:\n${output}`))
    })
  })
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      child.kill()
      await exited
    },
  }
}
