import type { RequestHeaders } from '@sec/core'

/** The forwarding headers Next's server adds to a request that arrives without them. */
const nextForwardingHeaders = new Set([
  'x-forwarded-for',
  'x-forwarded-proto',
  'x-forwarded-host',
  'x-forwarded-port',
])

function withoutMappedPrefix(address: string): string {
  return address.toLowerCase().startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address
}

/**
 * Whether the `X-Forwarded-*` headers of a request are the ones Next's server filled in itself.
 * For a request that carries none, `next start` sets `X-Forwarded-For` to the socket address,
 * `-Proto` to the socket's scheme, `-Host` to `Host` and `-Port` to its own port, each only when
 * absent. Left as they are, they would make every direct request look forwarded by the trusted
 * peer, e.g. "reached the proxy over plain HTTP". They are recognized by matching all four with
 * what Next would have written: a proxy that sent exactly those values reported the peer itself
 * as the client, over the same connection, which is the same as a direct request.
 */
export function forwardedByNext(request: Request, peer: string, encrypted: boolean): boolean {
  const headers = request.headers
  const forwardedFor = headers.get('x-forwarded-for')
  if (forwardedFor === null || withoutMappedPrefix(forwardedFor) !== withoutMappedPrefix(peer)) return false
  if (headers.get('x-forwarded-proto') !== (encrypted ? 'https' : 'http')) return false
  if (headers.get('x-forwarded-host') !== headers.get('host')) return false
  const url = new URL(request.url)
  const port = url.port === '' ? (url.protocol === 'https:' ? '443' : '80') : url.port
  return headers.get('x-forwarded-port') === port
}

/** Request headers without the forwarding headers Next filled in itself. */
export class WithoutNextForwarding implements RequestHeaders {
  readonly #inner: RequestHeaders

  constructor(inner: RequestHeaders) {
    this.#inner = inner
  }

  get(name: string): string | null {
    return nextForwardingHeaders.has(name.toLowerCase()) ? null : this.#inner.get(name)
  }

  getAll(name: string): readonly string[] {
    return nextForwardingHeaders.has(name.toLowerCase()) ? [] : this.#inner.getAll(name)
  }

  has(name: string): boolean {
    return !nextForwardingHeaders.has(name.toLowerCase()) && this.#inner.has(name)
  }
}
