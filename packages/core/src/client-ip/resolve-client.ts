import * as v from 'valibot'
import { parseOptions } from '../config/index.js'
import type { RequestHeaders, SecurityRequest } from '../request/index.js'
import type { ClientInfo, TrustProxy } from './client-info.js'
import { forwardedSeparator, parseForwardedElement } from './forwarded-header.js'
import { ListFromRight, lastListElement } from './header-list.js'
import { normalizeHost } from './host-name.js'
import { formatIp, type IpAddress, ipKeyOf, parseIpNode } from './ip-address.js'
import { compileTrustProxy, type TrustPredicate } from './trust-proxy.js'

/** Options of {@link createClientResolver}. */
export interface ClientResolverOptions {
  /** Which proxies to trust. Default: `false` (none). See {@link TrustProxy}. */
  readonly trustProxy?: TrustProxy
  /** How many leading bits of an IPv6 address make its {@link ClientInfo.ipKey}, 1 to 128. Default: `64`. */
  readonly ipv6Prefix?: number
}

/** Resolves the {@link ClientInfo} of a request. */
export type ClientResolver = (request: SecurityRequest) => ClientInfo

const optionsSchema = v.strictObject({
  trustProxy: v.optional(v.unknown()),
  ipv6Prefix: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(128))),
})

/** What one family of forwarding headers says, once the walk through the trusted hops is done. */
interface Forwarded {
  readonly address: IpAddress | undefined
  readonly proto: string | undefined
  readonly host: string | undefined
}

function singleHost(headers: RequestHeaders): string | undefined {
  const lines = headers.getAll('host')
  return lines.length === 1 ? normalizeHost(lines[0] as string) : undefined
}

function forwardedProtocol(proto: string | undefined): 'http' | 'https' | undefined {
  if (proto === undefined) return undefined
  const lower = proto.toLowerCase()
  return lower === 'https' ? 'https' : lower === 'http' ? 'http' : undefined
}

function walkXForwarded(
  headers: RequestHeaders,
  socket: IpAddress | undefined,
  trust: TrustPredicate,
): Forwarded {
  let address = socket
  const lines = headers.getAll('x-forwarded-for')
  if (lines.length > 0) {
    const list = new ListFromRight(lines)
    for (let index = 0; trust(address, index); index++) {
      const next = parseIpNode(list.next())
      if (next === undefined) break
      address = next
    }
  }
  return {
    address,
    proto: lastListElement(headers.getAll('x-forwarded-proto')),
    host: lastListElement(headers.getAll('x-forwarded-host')),
  }
}

/**
 * Walks `Forwarded` like `X-Forwarded-For`. Scheme and host come from the element of the
 * outermost trusted proxy the walk reached: the one that received the request from the client. A
 * malformed element stops the walk and gives no scheme or host.
 */
function walkForwarded(
  lines: readonly string[],
  socket: IpAddress | undefined,
  trust: TrustPredicate,
): Forwarded {
  let address = socket
  let proto: string | undefined
  let host: string | undefined
  const list = new ListFromRight(lines, forwardedSeparator)
  for (let index = 0; trust(address, index); index++) {
    const text = list.next()
    if (text === undefined) break
    const element = parseForwardedElement(text)
    proto = element?.proto
    host = element?.host
    const next = element?.for === undefined ? undefined : parseIpNode(element.for)
    if (next === undefined) break
    address = next
  }
  return { address, proto, host }
}

function clientInfo(
  address: IpAddress | undefined,
  ipv6Prefix: number,
  protocol: 'http' | 'https',
  host: string | undefined,
  viaProxy: boolean,
): ClientInfo {
  return {
    ip: address === undefined ? undefined : formatIp(address),
    ipKey: address === undefined ? undefined : ipKeyOf(address, ipv6Prefix),
    protocol,
    host,
    viaProxy,
  }
}

/**
 * Builds the resolver once: options are checked now (a bad one throws a `SecConfigError` whose path
 * starts with `where`) and trusted ranges are compiled. Per request it reads only what it needs.
 *
 * The socket peer must be trusted before any forwarding header is read. Then the resolver uses one
 * family of headers, never a mix:
 *
 * - `X-Forwarded-For`, `X-Forwarded-Proto`, `X-Forwarded-Host` when any of them is present. Nearly
 *   every proxy and load balancer writes these and passes `Forwarded` through untouched, so
 *   preferring `Forwarded` would let any client pick its IP behind them.
 * - RFC 7239 `Forwarded` only when no `X-Forwarded-*` header is present. A proxy that writes
 *   `Forwarded` should therefore remove the `X-Forwarded-*` headers clients send.
 *
 * The address list is walked from the right, starting at the socket peer, while the current hop
 * is trusted; the first untrusted address is the client. With a hop count `n`, the client is the
 * address `n` hops from the socket. An entry that is not an address (`unknown`, an obfuscated id,
 * garbage) stops the walk: the client is then the last trusted hop, which vouched for nothing further.
 * `X-Forwarded-Proto` and `X-Forwarded-Host` count by their rightmost value, the one the nearest
 * proxy set. A trusted proxy's scheme wins over the socket's TLS flag, since the socket only knows
 * the hop from the proxy.
 *
 * @example
 * const resolveClient = createClientResolver({ trustProxy: ['loopback', '10.0.0.0/8'] })
 * const { ip, protocol } = resolveClient(fromWebRequest(request, { remoteAddress: '10.0.0.7' }))
 */
export function createClientResolver(
  options: ClientResolverOptions = {},
  where = 'clientResolver',
): ClientResolver {
  const parsed = parseOptions(where, optionsSchema, options)
  const trust = compileTrustProxy(parsed.trustProxy, `${where}.trustProxy`)
  const ipv6Prefix = parsed.ipv6Prefix ?? 64

  return (request) => {
    const headers = request.headers
    const socket = parseIpNode(request.remoteAddress)
    const socketProtocol = request.encrypted ? 'https' : 'http'
    if (trust === undefined || !trust(socket, 0)) {
      return clientInfo(socket, ipv6Prefix, socketProtocol, singleHost(headers), false)
    }
    let forwarded: Forwarded
    if (
      headers.has('x-forwarded-for') ||
      headers.has('x-forwarded-proto') ||
      headers.has('x-forwarded-host')
    ) {
      forwarded = walkXForwarded(headers, socket, trust)
    } else {
      const lines = headers.getAll('forwarded')
      if (lines.length === 0)
        return clientInfo(socket, ipv6Prefix, socketProtocol, singleHost(headers), false)
      forwarded = walkForwarded(lines, socket, trust)
    }
    return clientInfo(
      forwarded.address,
      ipv6Prefix,
      forwardedProtocol(forwarded.proto) ?? socketProtocol,
      forwarded.host === undefined ? singleHost(headers) : normalizeHost(forwarded.host),
      true,
    )
  }
}
