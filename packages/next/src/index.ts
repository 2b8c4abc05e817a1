/**
 * `@sec` for Next.js 16: `withSecurity()` around App Router route handlers, `preflight()` for their
 * `OPTIONS` export, and `secureProxy()` for `proxy.ts`.
 *
 * @packageDocumentation
 */

export type { SecureRouteOptions } from './options.js'
export { earlyResponse } from './outcome-response.js'
export type { NextPeer, PeerOption, PeerResolver } from './peer.js'
export { preflight } from './preflight.js'
export { type SecureProxy, secureProxy } from './secure-proxy.js'
export {
  type NextRouteContext,
  type RouteHandler,
  type RouteParams,
  type SecureRouteContext,
  type SecureRouteHandler,
  withSecurity,
} from './with-security.js'
