import type { IncomingMessage } from 'node:http'
import { Readable } from 'node:stream'
import type { RequestHeaders, SecurityRequest } from '@sec/core'
import { fromNodeRequest } from '@sec/node'

/**
 * The `SecurityRequest` of a request whose guards run in `onRequest`, before Fastify reads the
 * body. It remembers whether a guard read the body: Fastify's content-type parsers would otherwise
 * wait on a stream that has already ended, so {@link ReplayableRequest.replay} hands them the same
 * bytes instead.
 */
export class ReplayableRequest implements SecurityRequest {
  readonly method: string
  readonly target: string
  readonly headers: RequestHeaders
  readonly remoteAddress: string | undefined
  readonly encrypted: boolean
  readonly #inner: SecurityRequest
  #read = false

  constructor(raw: IncomingMessage) {
    const inner = fromNodeRequest(raw)
    this.#inner = inner
    this.method = inner.method
    this.target = inner.target
    this.headers = inner.headers
    this.remoteAddress = inner.remoteAddress
    this.encrypted = inner.encrypted
  }

  body(limit: number): Promise<Uint8Array> {
    this.#read = true
    return this.#inner.body(limit)
  }

  /**
   * A stream of the bytes the guards read, for Fastify's parsers; `undefined` when no guard read
   * the body, so Fastify reads the untouched request stream itself.
   */
  replay(): Promise<Readable> | undefined {
    if (!this.#read) return undefined
    // The body is cached after the first read: an unbounded limit only returns the same bytes.
    return this.#inner
      .body(Number.MAX_SAFE_INTEGER)
      .then((bytes) => Readable.from([Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)]))
  }
}
