import {
  catalogProblem,
  createSecurity,
  deny,
  type Guard,
  respond,
  type SecurityEvent,
  type SecurityOptions,
} from '@sec/core'
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import { afterEach } from 'vitest'
import secFastify, { frameworkErrors, type SecFastifyOptions } from '../index.js'

/** The request id every test server generates: its random source only returns sevens. */
export const requestId = '07070707-0707-4707-8707-070707070707'

/** Sets the same two headers on every response, as a security-headers guard does. */
export const securityHeaders: Guard = {
  name: 'headers',
  always: true,
  check(ctx) {
    ctx.responseHeaders.set('x-content-type-options', 'nosniff')
    ctx.responseHeaders.set('cache-control', 'no-store')
    ctx.removeResponseHeader('x-removed-by-guard')
  },
}

/** Answers a CORS-style preflight itself, and denies `/denied`. */
export const gate: Guard = {
  name: 'gate',
  check(ctx) {
    const origin = ctx.request.headers.get('origin')
    if (ctx.request.method === 'OPTIONS' && origin !== null) {
      return respond('cors-preflight', 204, { 'access-control-allow-origin': origin })
    }
    if (ctx.path === '/denied') return deny(catalogProblem('cors-denied'))
  },
}

/** The headers of every problem the test servers send, besides `content-length`. */
export const problemHeaders = {
  'cache-control': 'no-store',
  'content-type': 'application/problem+json',
  'x-content-type-options': 'nosniff',
}

/** How to build a test server. */
export interface Setup {
  /** Options of `createSecurity`, over the defaults (guards `gate` and `securityHeaders`). */
  readonly security?: SecurityOptions
  /** Plugin options besides `security`. */
  readonly plugin?: Partial<SecFastifyOptions>
  /** Fastify server options. */
  readonly server?: FastifyServerOptions
  /** Whether to pass `frameworkErrors(security)` to Fastify. Default: `false`. */
  readonly frameworkErrors?: boolean
  /** Declares the routes. */
  readonly routes?: (app: FastifyInstance) => void
  /** Runs before the plugin is registered, e.g. to add a content-type parser of the app's own. */
  readonly beforePlugin?: (app: FastifyInstance) => void
}

/** A running test server. */
export interface TestServer {
  readonly url: string
  readonly events: SecurityEvent[]
  close(): Promise<void>
}

/** Starts Fastify with the plugin on an ephemeral loopback port. */
export async function serveApp(setup: Setup = {}): Promise<TestServer> {
  const events: SecurityEvent[] = []
  const security = createSecurity({
    guards: [gate, securityHeaders],
    random: (bytes) => bytes.fill(7),
    events: (event) => events.push(event),
    ...setup.security,
  })
  const app = Fastify({
    ...setup.server,
    ...(setup.frameworkErrors === true && { frameworkErrors: frameworkErrors(security) }),
  })
  setup.beforePlugin?.(app)
  await app.register(secFastify, { security, ...setup.plugin })
  setup.routes?.(app)
  await app.listen({ port: 0, host: '127.0.0.1' })
  const address = app.server.address()
  if (address === null || typeof address === 'string') throw new Error('The server has no port')
  return { url: `http://127.0.0.1:${address.port}`, events, close: () => app.close() }
}

const unstable = new Set(['date', 'connection', 'keep-alive'])

/** A response with its headers by name, except those that change from run to run. */
export interface TestResponse {
  readonly status: number
  readonly headers: Record<string, string>
  readonly body: string
  readonly connection: string | null
}

/** Fetches a URL and reads the whole response. */
export async function call(url: string, init?: RequestInit): Promise<TestResponse> {
  const res = await fetch(url, init)
  const headers: Record<string, string> = {}
  for (const [name, value] of res.headers) if (!unstable.has(name)) headers[name] = value
  return { status: res.status, headers, body: await res.text(), connection: res.headers.get('connection') }
}

/** The exact response expected for a problem the test servers send. */
export function problemResponse(status: number, body: string, connection = 'keep-alive'): TestResponse {
  return {
    status,
    headers: { ...problemHeaders, 'content-length': String(Buffer.byteLength(body)) },
    body,
    connection,
  }
}

/** The exact response expected for JSON a handler of the test servers returns. */
export function jsonResponse(status: number, body: string): TestResponse {
  return {
    status,
    headers: {
      'cache-control': 'no-store',
      'content-length': String(Buffer.byteLength(body)),
      'content-type': 'application/json; charset=utf-8',
      'x-content-type-options': 'nosniff',
    },
    body,
    connection: 'keep-alive',
  }
}

/**
 * A `serve(setup)` for a test file: each call starts a server with {@link serveApp}, and the one a
 * test started is closed after it.
 */
export function servePerTest(): (setup?: Setup) => Promise<TestServer> {
  let server: TestServer | undefined
  afterEach(async () => {
    await server?.close()
    server = undefined
  })
  return async (setup) => {
    server = await serveApp(setup)
    return server
  }
}
