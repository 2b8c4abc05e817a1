/**
 * Who is calling, as far as the connection and the trusted proxies in front of it can tell.
 */
export interface ClientInfo {
  /** The client's IP address, normalized (IPv4 dotted quad, IPv6 compressed lower-case, IPv4-mapped IPv6 as IPv4); `undefined` when unknown. */
  readonly ip: string | undefined
  /** A key for per-client state: the IPv4 address, or the IPv6 network (`2001:db8:1:2::/64` by default). */
  readonly ipKey: string | undefined
  /** The scheme the client used: from the socket, or from a trusted proxy's `X-Forwarded-Proto`/`Forwarded`. */
  readonly protocol: 'http' | 'https'
  /** The host the client asked for (`Host`, or a trusted proxy's forwarded host), lower-case, validated; `undefined` when absent or malformed. */
  readonly host: string | undefined
  /** Whether the request came through at least one trusted proxy. */
  readonly viaProxy: boolean
}

/**
 * Which proxies in front of the app are trusted to say who the client is.
 *
 * - `false` (default): none; the socket peer is the client, forwarding headers are ignored.
 * - a number `n`: the last `n` hops (the socket peer and the `n - 1` addresses nearest to it in `X-Forwarded-For`) are proxies.
 * - a list of addresses, CIDR ranges and the names `loopback`, `private`, `linklocal`, `uniquelocal`: peers in them are proxies.
 *
 * `true` is refused: trusting every hop lets any caller pick its own IP.
 */
export type TrustProxy = false | number | readonly string[]
