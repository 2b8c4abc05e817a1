/**
 * Who is calling, as far as the connection and the trusted proxies in front of it can tell.
 * Computed once per request, the first time a guard reads `ctx.client`.
 */
export interface ClientInfo {
  /**
   * The client's IP address, normalized: IPv4 as a dotted quad, IPv6 compressed and lower-case
   * (RFC 5952), IPv4-mapped IPv6 as IPv4, without port or zone id. `undefined` when unknown.
   */
  readonly ip: string | undefined
  /**
   * A key for per-client state (rate limits, counters): the IPv4 address, or the IPv6 network of
   * `ipv6Prefix` bits written as `2001:db8:1:2::/64`. `undefined` when the IP is unknown.
   */
  readonly ipKey: string | undefined
  /**
   * The scheme the client used: a trusted proxy's `X-Forwarded-Proto` or `Forwarded: proto=`
   * (`http` or `https`, anything else ignored), else `https` when the connection is TLS, else `http`.
   */
  readonly protocol: 'http' | 'https'
  /**
   * The host the client asked for: a trusted proxy's forwarded host when it sent one, else `Host`.
   * Lower-case, with the port when one was given. `undefined` when absent, sent twice, or not a
   * valid DNS name or IP literal (a value with `/`, `@`, `\`, whitespace or an empty label).
   */
  readonly host: string | undefined
  /** Whether a trusted socket peer sent forwarding headers, so that a proxy supplied some of these values. */
  readonly viaProxy: boolean
}

/**
 * Which proxies in front of the app are trusted to say who the client is.
 *
 * - `false` (default): none; the socket peer is the client, forwarding headers are ignored.
 * - a hop count `n` (1 or more): the socket peer and the `n - 1` addresses nearest to it in the
 *   forwarded list are proxies, so the client is the address `n` hops from the socket. Use it when
 *   the proxies' addresses change (a cloud load balancer) but their number does not.
 * - a list of IP addresses, CIDR ranges (`10.0.0.0/8`, `2001:db8::/32`) and the names `loopback`
 *   (127.0.0.0/8, ::1), `private` (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, fc00::/7),
 *   `uniquelocal` (the same ranges, under Express's name) and `linklocal` (169.254.0.0/16,
 *   fe80::/10): peers in them are proxies.
 *
 * `true`, `/0` ranges and strings outside a list are refused: trusting every hop lets any caller
 * pick its own IP.
 */
export type TrustProxy = false | number | readonly string[]
