import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { findRedisBinaries } from './find-redis.js'
import { freePort } from './free-port.js'

/** Options of {@link startRedisServer}. */
export interface StartRedisServerOptions {
  /** Extra `redis-server` arguments, e.g. `['--maxmemory', '10mb']`. Default: none. */
  readonly args?: readonly string[]
  /** The port to listen on. Default: a free port picked by the OS. */
  readonly port?: number
}

/** A `redis-server` process on 127.0.0.1, with its own temporary directory and no persistence. */
export interface RedisTestServer {
  readonly host: '127.0.0.1'
  readonly port: number
  /** `redis://127.0.0.1:<port>`. */
  readonly url: string
  /** Its working directory, removed by {@link RedisTestServer.stop}. */
  readonly dir: string
  /** The process id, or `undefined` while it is not running. */
  readonly pid: number | undefined
  /**
   * Sends `signal` (default `SIGKILL`, a crash: no shutdown, connections cut) and resolves once the
   * process has exited. The directory is kept for {@link RedisTestServer.restart}.
   */
  kill(signal?: NodeJS.Signals): Promise<void>
  /** Starts a new process on the same port and directory, after a kill. Its data is empty. */
  restart(): Promise<void>
  /** Shuts the process down (if running), waits for it, and removes the directory. Safe to call twice. */
  stop(): Promise<void>
}

const startTimeoutMs = 10_000
const stopTimeoutMs = 5_000
const running = new Set<ChildProcess>()
let exitHookInstalled = false

/** A test run that ends without `stop()` (a crash, a failed `beforeAll`) still leaves no server behind. */
function track(child: ChildProcess): void {
  running.add(child)
  child.once('exit', () => running.delete(child))
  if (exitHookInstalled) return
  exitHookInstalled = true
  process.once('exit', () => {
    for (const server of running) server.kill('SIGKILL')
  })
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => child.once('exit', () => resolve()))
}

/** Spawns redis-server and resolves when it accepts connections; rejects with its log otherwise. */
function spawnServer(port: number, dir: string, args: readonly string[]): Promise<ChildProcess> {
  const binaries = findRedisBinaries()
  if (binaries === undefined) return Promise.reject(new Error('redis-server was not found on PATH.'))
  const child = spawn(
    binaries.server,
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--save',
      '',
      '--appendonly',
      'no',
      '--daemonize',
      'no',
      ...args,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  )
  track(child)
  return new Promise((resolve, reject) => {
    let log = ''
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`redis-server on port ${port} did not start within ${startTimeoutMs} ms:\n${log}`))
    }, startTimeoutMs)
    const onData = (chunk: Buffer): void => {
      log = (log + chunk.toString('utf8')).slice(-8192)
      if (log.includes('Ready to accept connections')) {
        clearTimeout(timer)
        resolve(child)
      }
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
    child.once('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
    child.once('exit', (code, signal) => {
      clearTimeout(timer)
      reject(new Error(`redis-server on port ${port} exited (${signal ?? code}) while starting:\n${log}`))
    })
  })
}

/**
 * Starts `redis-server` on 127.0.0.1 (a free port unless one is given) in a new temporary
 * directory, without persistence, and resolves once it accepts connections. Stop it with
 * `stop()`; servers still running when the process exits are killed.
 */
export async function startRedisServer(options: StartRedisServerOptions = {}): Promise<RedisTestServer> {
  const args = options.args ?? []
  const dir = await mkdtemp(join(tmpdir(), 'sec-redis-'))
  let child: ChildProcess | undefined
  let port = options.port ?? (await freePort())
  for (let attempt = 1; child === undefined; attempt++) {
    try {
      child = await spawnServer(port, dir, args)
    } catch (error) {
      if (options.port !== undefined || attempt === 5) {
        await rm(dir, { recursive: true, force: true })
        throw error
      }
      port = await freePort()
    }
  }
  let current: ChildProcess | undefined = child
  let stopped = false

  return {
    host: '127.0.0.1',
    port,
    url: `redis://127.0.0.1:${port}`,
    dir,
    get pid() {
      return current?.pid
    },
    async kill(signal = 'SIGKILL') {
      const server = current
      if (server === undefined) return
      current = undefined
      server.kill(signal)
      await exited(server)
    },
    async restart() {
      if (stopped) throw new Error('This Redis test server was stopped; start a new one.')
      if (current !== undefined) throw new Error('This Redis test server is running; kill it first.')
      current = await spawnServer(port, dir, args)
    },
    async stop() {
      stopped = true
      const server = current
      current = undefined
      if (server !== undefined) {
        server.kill('SIGTERM')
        const timer = setTimeout(() => server.kill('SIGKILL'), stopTimeoutMs)
        await exited(server)
        clearTimeout(timer)
      }
      await rm(dir, { recursive: true, force: true })
    },
  }
}
