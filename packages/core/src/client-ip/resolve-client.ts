import * as v from 'valibot'
import { parseOptions } from '../config/index.js'
import type { RequestHeaders, SecurityRequest } from '../request/index.js'
import { BoundedMemo } from './bounded-memo.js'
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

/**
 * A parsed address with the texts {@link ClientInfo} reports for it, made once per distinct text
 * and shared by every request that sends it again, hence frozen.
 */
interface KnownAddress {
  readonly address: IpAddress
  readonly ip: string
  readonly ipKey: string
  /** Whether a socket peer with this address is a trusted proxy: the trust check of hop 0. */
  readonly trustedPeer: boolean
}

/** The resolver's memo of addresses, keyed by the text of a socket address or a forwarded node. */
type KnownAddresses = BoundedMemo<KnownAddress | undefined>

/** Slots of each memo table, enough for the proxies and the busiest clients; each keeps at most this many texts. */
const memoCapacity = 512
/** Longer texts are never an address (see `parseIpNode`), so they are not worth remembering. */
const maxAddressText = 96
/** Longer texts are never a valid host (see `normalizeHost`). */
const maxHostText = 261

/** What one family of forwarding headers says, once the walk through the trusted hops is done. */
interface Forwarded {
  readonly address: KnownAddress | undefined
  readonly proto: 'http' | 'https' | undefined
  readonly host: string | undefined
}

function singleHost(headers: RequestHeaders, hosts: BoundedMemo<string | undefined>): string | undefined {
  const lines = headers.getAll('host')
  return lines.length === 1 ? hosts.get(lines[0] as string) : undefined
}

function protocolOf(proto: string | undefined): 'http' | 'https' | undefined {
  if (proto === undefined) return undefined
  const lower = proto.toLowerCase()
  return lower === 'https' ? 'https' : lower === 'http' ? 'http' : undefined
}

/** The scheme in the rightmost `X-Forwarded-Proto` value; the one line a proxy usually writes is a plain name. */
function forwardedProtocol(lines: readonly string[]): 'http' | 'https' | undefined {
  if (lines.length === 1) {
    const line = lines[0]
    if (line === 'https' || line === 'http') return line
  }
  return protocolOf(lastListElement(lines))
}

/**
 * Walks `X-Forwarded-For` from the trusted socket peer. With one element, the usual case of a
 * single proxy, the client is that element whether or not it is trusted, as no hop lies beyond.
 */
function walkXForwardedFor(
  lines: readonly string[],
  socket: KnownAddress | undefined,
  trust: TrustPredicate,
  addresses: KnownAddresses,
): KnownAddress | undefined {
  if (lines.length === 1) {
    const line = lines[0] as string
    if (line.indexOf(',') === -1) {
      const text = line.trim()
      return (text === '' ? undefined : addresses.get(text)) ?? socket
    }
  }
  let address = socket
  const list = new ListFromRight(lines)
  for (let index = 1; ; index++) {
    const text = list.next()
    const next = text === undefined ? undefined : addresses.get(text)
    if (next === undefined) break
    address = next
    if (!trust(next.address, index)) break
  }
  return address
}

/**
 * Walks `Forwarded` like `X-Forwarded-For`. Scheme and host come from the element of the
 * outermost trusted proxy the walk reached: the one that received the request from the client. A
 * malformed element stops the walk and gives no scheme or host.
 */
function walkForwarded(
  lines: readonly string[],
  socket: KnownAddress | undefined,
  trust: TrustPredicate,
  addresses: KnownAddresses,
): Forwarded {
  let address = socket
  let proto: string | undefined
  let host: string | undefined
  const list = new ListFromRight(lines, forwardedSeparator)
  for (let index = 0; trust(address?.address, index); index++) {
    const text = list.next()
    if (text === undefined) break
    const element = parseForwardedElement(text)
    proto = element?.proto
    host = element?.host
    const next = element?.for === undefined ? undefined : addresses.get(element.for)
    if (next === undefined) break
    address = next
  }
  return { address, proto: protocolOf(proto), host }
}

function clientInfo(
  address: KnownAddress | undefined,
  protocol: 'http' | 'https',
  host: string | undefined,
  viaProxy: boolean,
): ClientInfo {
  return { ip: address?.ip, ipKey: address?.ipKey, protocol, host, viaProxy }
}

/**
 * Builds the resolver once: options are checked now (a bad one throws a `SecConfigError` whose path
 * starts with `where`) and trusted ranges are compiled. Per request it reads only what it needs,
 * and parses each distinct address and host text once: the results stay in small fixed-size tables.
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
  const unknownPeerTrusted = trust?.(undefined, 0) === true
  const known = (text: string): KnownAddress | undefined => {
    const address = parseIpNode(text)
    if (address === undefined) return undefined
    return Object.freeze({
      address,
      ip: formatIp(address),
      ipKey: ipKeyOf(address, ipv6Prefix),
      trustedPeer: trust?.(address, 0) === true,
    })
  }
  // Two tables, so that a stream of distinct forwarded clients never pushes out the few proxies.
  const peers: KnownAddresses = new BoundedMemo(known, maxAddressText, memoCapacity)
  const addresses: KnownAddresses = new BoundedMemo(known, maxAddressText, memoCapacity)
  const hosts = new BoundedMemo(normalizeHost, maxHostText, memoCapacity)

  return (request) => {
    const headers = request.headers
    const remoteAddress = request.remoteAddress
    const socket = remoteAddress === undefined ? undefined : peers.get(remoteAddress)
    const socketProtocol = request.encrypted ? 'https' : 'http'
    if (trust === undefined || !(socket === undefined ? unknownPeerTrusted : socket.trustedPeer)) {
      return clientInfo(socket, socketProtocol, singleHost(headers, hosts), false)
    }
    const forwardedFor = headers.getAll('x-forwarded-for')
    const forwardedProto = headers.getAll('x-forwarded-proto')
    const forwardedHost = headers.getAll('x-forwarded-host')
    let address: KnownAddress | undefined
    let proto: 'http' | 'https' | undefined
    let host: string | undefined
    if (forwardedFor.length > 0 || forwardedProto.length > 0 || forwardedHost.length > 0) {
      address = forwardedFor.length === 0 ? socket : walkXForwardedFor(forwardedFor, socket, trust, addresses)
      proto = forwardedProtocol(forwardedProto)
      host = lastListElement(forwardedHost)
    } else {
      const lines = headers.getAll('forwarded')
      if (lines.length === 0) return clientInfo(socket, socketProtocol, singleHost(headers, hosts), false)
      ;({ address, proto, host } = walkForwarded(lines, socket, trust, addresses))
    }
    return clientInfo(
      address,
      proto ?? socketProtocol,
      host === undefined ? singleHost(headers, hosts) : hosts.get(host),
      true,
    )
  }
}
