import { fromWebRequest, type RequestHeaders, type SecurityRequest } from '@sec/core'
import { forwardedByNext, WithoutNextForwarding } from './next-forwarding.js'
import type { NextPeer } from './peer.js'

/**
 * The `SecurityRequest` of a Web `Request` in Next.js, with the peer stated by the `peer` option
 * (never guessed from the request), and without the forwarding headers Next's server made up for
 * a request that came without them (see {@link forwardedByNext}). It remembers whether a guard read the body, which consumes
 * the request's stream: {@link WebSecurityRequest.forHandler} then gives the handler a copy of the
 * request that carries the same bytes, so `await request.json()` still works.
 */
export class WebSecurityRequest implements SecurityRequest {
  readonly method: string
  readonly target: string
  readonly headers: RequestHeaders
  readonly remoteAddress: string | undefined
  readonly encrypted: boolean
  readonly #inner: SecurityRequest
  #read = false

  constructor(request: Request, peer: NextPeer) {
    const inner = fromWebRequest(request, {
      ...(peer.remoteAddress !== undefined && { remoteAddress: peer.remoteAddress }),
      // Never the URL scheme: `next start` builds it from a client-supplied X-Forwarded-Proto.
      encrypted: peer.encrypted ?? false,
    })
    this.#inner = inner
    this.method = inner.method
    this.target = inner.target
    this.headers =
      peer.remoteAddress !== undefined && forwardedByNext(request, peer.remoteAddress, inner.encrypted)
        ? new WithoutNextForwarding(inner.headers)
        : inner.headers
    this.remoteAddress = inner.remoteAddress
    this.encrypted = inner.encrypted
  }

  body(limit: number): Promise<Uint8Array> {
    this.#read = true
    return this.#inner.body(limit)
  }

  /**
   * The request to hand the handler: `request` itself, or, when a guard read its body, a request
   * of the same class (`NextRequest` stays `NextRequest`) with the same URL, method, headers and
   * signal, and the bytes the guard read as its body.
   */
  async forHandler<TRequest extends Request>(request: TRequest): Promise<TRequest> {
    if (!this.#read || request.body === null) return request
    // The body is cached after the first read: an unbounded limit only returns the same bytes.
    const bytes = await this.#inner.body(Number.MAX_SAFE_INTEGER)
    const SameClass = request.constructor as new (input: Request, init: RequestInit) => TRequest
    return new SameClass(request, { body: bytes as Uint8Array<ArrayBuffer> })
  }
}
