import { declaredLength, onceBody, readWebStream } from './body-reader.js'
import type { RequestHeaders, SecurityRequest } from './security-request.js'

/** What {@link fromWebRequest} needs besides the request itself. */
export interface WebRequestContext {
  /** The connection's peer address, when the runtime exposes it. Default: `undefined`. */
  readonly remoteAddress?: string | undefined
  /**
   * Whether the connection is TLS. Default: whether the request URL's scheme is `https:`, which is
   * what the runtime (Next.js, Bun, Deno) reports for the connection it received.
   */
  readonly encrypted?: boolean
}

class WebHeadersView implements RequestHeaders {
  readonly #headers: Headers
  constructor(headers: Headers) {
    this.#headers = headers
  }
  get(name: string): string | null {
    return this.#headers.get(name)
  }
  getAll(name: string): readonly string[] {
    const value = this.#headers.get(name)
    return value === null ? [] : [value]
  }
  has(name: string): boolean {
    return this.#headers.has(name)
  }
}

/** A {@link SecurityRequest} over a Web `Request` (Next.js, edge runtimes, Bun, Deno, workers). */
export function fromWebRequest(request: Request, context: WebRequestContext = {}): SecurityRequest {
  const url = new URL(request.url)
  const headers = request.headers
  return {
    method: request.method.toUpperCase(),
    target: url.pathname + url.search,
    headers: new WebHeadersView(headers),
    remoteAddress: context.remoteAddress,
    encrypted: context.encrypted ?? url.protocol === 'https:',
    body: onceBody((limit) =>
      readWebStream(request.body, limit, declaredLength(headers.get('content-length'))),
    ),
  }
}
