import type { IncomingMessage } from 'node:http'
import { Readable } from 'node:stream'
import type { RequestHeaders, SecurityRequest } from '@sec/core'
import { fromNodeRequest } from '@sec/node'

/** A {@link SecurityRequest} that can hand the body a guard read on to Fastify's parsers. */
export interface ReplayableRequest extends SecurityRequest {
  /**
   * A stream of the bytes the guards read, for Fastify's parsers; `undefined` when no guard read
   * the body, so Fastify reads the untouched request stream itself.
   */
  replay(): Promise<Readable> | undefined
}

/**
 * Wraps the request view of `@sec/node` with a class rather than a spread copy: this runs once per
 * request, and a fixed shape keeps the property reads of the guards monomorphic.
 */
class NodeReplayableRequest implements ReplayableRequest {
  readonly method: string
  readonly target: string
  readonly headers: RequestHeaders
  readonly remoteAddress: string | undefined
  readonly encrypted: boolean
  readonly #inner: SecurityRequest
  #read = false

  constructor(inner: SecurityRequest) {
    this.method = inner.method
    this.target = inner.target
    this.headers = inner.headers
    this.remoteAddress = inner.remoteAddress
    this.encrypted = inner.encrypted
    this.#inner = inner
  }

  body(limit: number): Promise<Uint8Array> {
    this.#read = true
    return this.#inner.body(limit)
  }

  replay(): Promise<Readable> | undefined {
    if (!this.#read) return undefined
    // The body is cached after the first read: an unbounded limit only returns the same bytes.
    return this.#inner.body(Number.MAX_SAFE_INTEGER).then(replayStream)
  }
}

function readNothing(): void {}

/**
 * A stream that has the whole body buffered when the parser gets it; cheaper per request than
 * `Readable.from()`, which pulls its one chunk through an iterator.
 */
function replayStream(bytes: Uint8Array): Readable {
  const stream = new Readable({ read: readNothing })
  stream.push(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))
  stream.push(null)
  return stream
}

/**
 * The `SecurityRequest` of a request whose guards run in `onRequest`, before Fastify reads the
 * body. It remembers whether a guard read the body: Fastify's content-type parsers would otherwise
 * wait on a stream that has already ended, so {@link ReplayableRequest.replay} hands them the same
 * bytes instead.
 */
export function replayableRequest(raw: IncomingMessage): ReplayableRequest {
  return new NodeReplayableRequest(fromNodeRequest(raw))
}
