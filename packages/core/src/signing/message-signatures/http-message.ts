import { SignatureBaseError } from './message-signature-errors.js'

/**
 * Header access for signing and verifying: a Web `Headers` object, or a `SecurityRequest`'s
 * headers. With `getAll`, each field line is kept apart (so `;bs` encodes each line); with `get`
 * only, repeated lines arrive joined with `", "` and count as one.
 */
export interface HttpHeadersLike {
  /** The field value, repeated lines joined with `", "`; `null` when absent. */
  get(name: string): string | null
  /** Every field line, in order; `[]` when absent. */
  getAll?(name: string): readonly string[]
}

/** A request to sign or verify: a Web `Request` fits, or any object of this shape. */
export interface HttpRequestLike {
  /** The method, e.g. `POST`, as sent. */
  readonly method: string
  /**
   * The absolute target URI, e.g. `https://api.example.com/v1/notes?draft=1`: `@scheme`,
   * `@authority`, `@path`, `@query` and `@target-uri` come from it (a default port is left out).
   */
  readonly url: string | URL
  /** The headers. */
  readonly headers: HttpHeadersLike
}

/** A response to sign or verify: a Web `Response` fits, or any object of this shape. */
export interface HttpResponseLike {
  /** The status code, e.g. `200`. */
  readonly status: number
  /** The headers. */
  readonly headers: HttpHeadersLike
}

/** A request or a response. An object with a `method` is a request; any other is a response. */
export type HttpMessageLike = HttpRequestLike | HttpResponseLike

/** The parts of a message that components are read from. */
export interface MessageParts {
  readonly kind: 'request' | 'response'
  /** Request only: the method. */
  readonly method?: string
  /** Request only: `http` or `https`. */
  readonly scheme?: string
  /** Request only: `host[:port]`, lower-case, without a default port; `undefined` when unknown. */
  readonly authority?: string | undefined
  /** Request only: the origin-form target, path and optional `?query`. */
  readonly target?: string
  /** Response only: the status. */
  readonly status?: number
  readonly headers: HttpHeadersLike
}

/** Whether a message is a request (it has a `method`). */
export function isHttpRequestLike(message: HttpMessageLike): message is HttpRequestLike {
  return typeof (message as HttpRequestLike).method === 'string'
}

/** The parts of a request given with an absolute URL. Throws {@link SignatureBaseError} for a URL that is not. */
export function requestParts(request: HttpRequestLike): MessageParts {
  let url: URL
  try {
    url = typeof request.url === 'string' ? new URL(request.url) : request.url
  } catch {
    throw new SignatureBaseError(
      'unsupported',
      'The request URL must be absolute, e.g. https://api.example.com/v1/notes.',
    )
  }
  return {
    kind: 'request',
    method: request.method,
    scheme: url.protocol.slice(0, -1),
    authority: url.host,
    target: (url.pathname === '' ? '/' : url.pathname) + url.search,
    headers: request.headers,
  }
}

/** The parts of a request or a response. */
export function messageParts(message: HttpMessageLike): MessageParts {
  if (isHttpRequestLike(message)) return requestParts(message)
  return { kind: 'response', status: message.status, headers: message.headers }
}
