import { catalogProblem, deny, type Guard, respond } from '@sec/core'

/** The request id every test pipeline generates: its random source only returns sevens. */
export const requestId = '07070707-0707-4707-8707-070707070707'

/** A random source that only returns sevens. */
export const sevens = (bytes: Uint8Array<ArrayBuffer>) => bytes.fill(7)

/** Sets the same two headers on every response, as a security-headers guard does. */
export const securityHeaders: Guard = {
  name: 'headers',
  always: true,
  check(ctx) {
    ctx.responseHeaders.set('x-content-type-options', 'nosniff')
    ctx.responseHeaders.set('cache-control', 'no-store')
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

/** Reads the raw body, as the body and validation guards do, and records it as text. */
export const readBody = (limit: number): Guard => ({
  name: 'read-body',
  async check(ctx) {
    ctx.facts.raw = new TextDecoder().decode(await ctx.body(limit))
  },
})

/** The headers of every problem the test pipelines answer with. */
export const problemHeaders = {
  'cache-control': 'no-store',
  'content-type': 'application/problem+json',
  'x-content-type-options': 'nosniff',
}
