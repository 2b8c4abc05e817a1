import { earlyResponse, withSecurity } from '@sec/next'
import { createNotesDemoFromEnv, type NotesDemo } from 'demo-domain'

const key = Symbol.for('next-demo.notes')
const shared = globalThis as typeof globalThis & { [key]?: NotesDemo }

function demoFromEnv(): NotesDemo {
  const { demo, sharedLimits } = createNotesDemoFromEnv(process.env)
  if (sharedLimits !== undefined)
    console.log(`next-demo shares its rate limits through Redis at ${sharedLimits}`)
  return demo
}

// Next.js may load this module once per route bundle; every route handler must see the same store
// and the same rate limiters (and, with REDIS_URL, one Redis connection).
shared[key] ??= demoFromEnv()

/** The one Notes demo of this server, kept on `globalThis`. */
export const demo: NotesDemo = shared[key]

export const { security, routes, handlers } = demo

/**
 * Next.js gives route handlers no socket, so the adapter is told who connects: `next start -H
 * 127.0.0.1` (the `start` script) accepts connections from this machine only, so every peer is
 * loopback, which `trustProxy: ['loopback']` trusts to report the client.
 */
export const peer = { remoteAddress: '127.0.0.1' }

/** A JSON response with the same `Content-Type` as Express, Fastify and Koa send. */
export function json(value: unknown, status = 200): Response {
  return new Response(JSON.stringify(value), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
  })
}

/** An answer without a body (204), as the other demos send it: no `Content-Type`. */
export function empty(status = 204): Response {
  return new Response(null, { status })
}

/**
 * The answer to a method a route does not serve: a 404 problem with the security headers, as the
 * other demos give, rather than Next's bare 405.
 */
export const notFound = withSecurity(
  security,
  (_request, { security: outcome }) => earlyResponse(security.statusResponse(404, outcome)),
  { peer },
)
