import type { SecurityRequest } from '../request/index.js'
import type { ClientInfo, TrustProxy } from './client-info.js'

/** Options of {@link createClientResolver}. */
export interface ClientResolverOptions {
  /** Which proxies to trust. Default: `false`. */
  readonly trustProxy?: TrustProxy
  /** Prefix length that keys an IPv6 client, in bits (1-128). Default: `64`. */
  readonly ipv6Prefix?: number
}

/** Resolves the {@link ClientInfo} of a request. */
export type ClientResolver = (request: SecurityRequest) => ClientInfo

/**
 * Builds the resolver once; options are checked now and a bad one throws a `SecConfigError` whose
 * path starts with `where`.
 */
export function createClientResolver(
  _options: ClientResolverOptions = {},
  _where = 'clientResolver',
): ClientResolver {
  return (request) => ({
    ip: request.remoteAddress,
    ipKey: request.remoteAddress,
    protocol: request.encrypted ? 'https' : 'http',
    host: request.headers.get('host')?.toLowerCase() ?? undefined,
    viaProxy: false,
  })
}
