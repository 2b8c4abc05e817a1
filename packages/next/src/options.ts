import { assertGuards, type Guard, isSecurity, SecConfigError, type Security } from '@sec/core'
import { checkPeer, type PeerOption, type PeerResolver } from './peer.js'

/** Options of {@link withSecurity}, {@link preflight} and {@link secureProxy}. */
export interface SecureRouteOptions {
  /** Guards for this route, run after the app-wide guards of `createSecurity()`. Default: none. */
  readonly guards?: readonly Guard[]
  /**
   * The peer that connects to Next's server, which Next does not expose: a fixed
   * {@link NextPeer} or a function of the request. Default: unknown (no client IP, no trusted
   * proxy, plain HTTP). Read "Client IP" in the README before you set it.
   */
  readonly peer?: PeerOption
}

/** Options after checking. */
export interface CheckedRouteOptions {
  readonly guards: readonly Guard[] | undefined
  readonly peer: PeerResolver
}

/** Checks the security pipeline given to a factory. */
export function checkSecurity(where: string, security: unknown): Security {
  if (!isSecurity(security)) {
    throw new SecConfigError(`${where}.security`, 'Expected the object createSecurity() returns.')
  }
  return security
}

/** Checks a factory's options once, when the route is built; a bad one throws a `SecConfigError`. */
export function checkRouteOptions(where: string, options: unknown): CheckedRouteOptions {
  if (options === undefined) return { guards: undefined, peer: checkPeer(`${where}.peer`, undefined) }
  if (typeof options !== 'object' || options === null) {
    throw new SecConfigError(where, 'Expected an options object: { guards?, peer? }.')
  }
  for (const name of Object.keys(options)) {
    if (name !== 'guards' && name !== 'peer') {
      throw new SecConfigError(
        `${where}.${name}`,
        'is not a known option. Remove it or check its spelling against the documentation.',
      )
    }
  }
  const { guards, peer } = options as { guards?: unknown; peer?: unknown }
  if (guards !== undefined) assertGuards(guards, `${where}.guards`, 'validate({ body })')
  return {
    guards: guards === undefined || guards.length === 0 ? undefined : guards,
    peer: checkPeer(`${where}.peer`, peer),
  }
}
