import { fromWebRequest, type SecurityRequest } from '@sec/core'
import { forwardedByNext, WithoutNextForwarding } from './next-forwarding.js'
import type { NextPeer } from './peer.js'

/** A {@link SecurityRequest} that can give the handler the body a guard read. */
export interface WebSecurityRequest extends SecurityRequest {
  /**
   * The request to hand the handler: `request` itself, or, when a guard read its body, a request
   * of the same class (`NextRequest` stays `NextRequest`) with the same URL, method, headers and
   * signal, and the bytes the guard read as its body.
   */
  forHandler<TRequest extends Request>(request: TRequest): Promise<TRequest>
}

/**
 * The `SecurityRequest` of a Web `Request` in Next.js, with the peer stated by the `peer` option
 * (never guessed from the request), and without the forwarding headers Next's server made up for
 * a request that came without them (see {@link forwardedByNext}). It remembers whether a guard
 * read the body, which consumes the request's stream: {@link WebSecurityRequest.forHandler} then
 * gives the handler a copy of the request that carries the same bytes, so `await request.json()`
 * still works.
 */
export function webSecurityRequest(request: Request, peer: NextPeer): WebSecurityRequest {
  const inner = fromWebRequest(request, {
    ...(peer.remoteAddress !== undefined && { remoteAddress: peer.remoteAddress }),
    // Never the URL scheme: `next start` builds it from a client-supplied X-Forwarded-Proto.
    encrypted: peer.encrypted ?? false,
  })
  let read = false
  return {
    ...inner,
    headers:
      peer.remoteAddress !== undefined && forwardedByNext(request, peer.remoteAddress, inner.encrypted)
        ? new WithoutNextForwarding(inner.headers)
        : inner.headers,
    body(limit) {
      read = true
      return inner.body(limit)
    },
    async forHandler<TRequest extends Request>(handlerRequest: TRequest): Promise<TRequest> {
      if (!read || handlerRequest.body === null) return handlerRequest
      // The body is cached after the first read: an unbounded limit only returns the same bytes.
      const bytes = await inner.body(Number.MAX_SAFE_INTEGER)
      const SameClass = handlerRequest.constructor as new (input: Request, init: RequestInit) => TRequest
      return new SameClass(handlerRequest, { body: bytes as Uint8Array<ArrayBuffer> })
    },
  }
}
