import { SecConfigError } from '@sec/core'

/**
 * What a Next.js route handler cannot observe: the peer that opened the connection to Next's
 * server, and whether that connection was TLS. Next gives route handlers and `proxy.ts` no socket.
 * It does fill in `X-Forwarded-For` with the socket address, but only when the request has none:
 * a client's own `X-Forwarded-For` passes through untouched, so the header cannot tell the two
 * apart. The same goes for the `https:` scheme of `request.url`, which `next start` derives from a
 * client-supplied `X-Forwarded-Proto`. Hence you state the peer, from what you know of the
 * deployment.
 */
export interface NextPeer {
  /**
   * The address of whatever connects to Next's server: the reverse proxy in front of it, or
   * `127.0.0.1` when Next listens on loopback only (`next start -H 127.0.0.1`). Only state an
   * address that every connection really comes from: with `trustProxy` covering it, the
   * forwarding headers of every request are believed. Default: `undefined` (unknown: the client
   * IP stays `undefined` and no proxy is trusted).
   */
  readonly remoteAddress?: string
  /**
   * Whether that connection is TLS. `next start` serves plain HTTP, so this is only `true` behind
   * a custom HTTPS server. Default: `false`.
   */
  readonly encrypted?: boolean
}

/**
 * Works out the {@link NextPeer} per request, for a platform that reports the client in a header
 * it sets itself and never forwards from the client. Choosing such a header is your decision:
 * @sec never reads a client-supplied header as the peer on its own.
 */
export type PeerResolver = (request: Request) => NextPeer

/** The peer option, either fixed or per request. */
export type PeerOption = NextPeer | PeerResolver

const ipv4 = /^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/

function isIpLiteral(value: string): boolean {
  if (ipv4.test(value)) return true
  if (!value.includes(':')) return false
  try {
    new URL(`http://[${value}]/`)
    return true
  } catch {
    return false
  }
}

/** Checks the peer option once, when the handler is built; a bad one throws a `SecConfigError`. */
export function checkPeer(where: string, peer: unknown): PeerResolver {
  if (peer === undefined) return () => ({})
  if (typeof peer === 'function') return peer as PeerResolver
  if (typeof peer !== 'object' || peer === null) {
    throw new SecConfigError(where, 'Expected { remoteAddress?, encrypted? } or a function of the request.')
  }
  for (const name of Object.keys(peer)) {
    if (name !== 'remoteAddress' && name !== 'encrypted') {
      throw new SecConfigError(
        `${where}.${name}`,
        'is not a known option. Remove it or check its spelling against the documentation.',
      )
    }
  }
  const { remoteAddress, encrypted } = peer as { remoteAddress?: unknown; encrypted?: unknown }
  if (remoteAddress !== undefined && (typeof remoteAddress !== 'string' || !isIpLiteral(remoteAddress))) {
    throw new SecConfigError(
      `${where}.remoteAddress`,
      "Expected an IP address such as '127.0.0.1' or '::1', the address every connection to Next comes from.",
    )
  }
  if (encrypted !== undefined && typeof encrypted !== 'boolean') {
    throw new SecConfigError(`${where}.encrypted`, 'Expected a boolean.')
  }
  const fixed = peer as NextPeer
  return () => fixed
}
