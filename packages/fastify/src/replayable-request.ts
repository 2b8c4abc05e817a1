import type { IncomingMessage } from 'node:http'
import { Readable } from 'node:stream'
import type { RequestHeaders, SecurityRequest } from '@sec/core'
import { fromNodeRequest } from '@sec/node'

/** The JSON a body guard parsed, and the length of the body it parsed it from. */
export interface ParsedBody {
  readonly value: unknown
  /** Bytes. */
  readonly length: number
}

/** A {@link SecurityRequest} that can hand the body a guard read on to Fastify's parsers. */
export interface ReplayableRequest extends SecurityRequest {
  /**
   * A stream of the bytes the guards read, for Fastify's parsers; `undefined` when no guard read
   * the body, so Fastify reads the untouched request stream itself.
   */
  replay(): Promise<Readable> | undefined
  /**
   * The JSON value a body guard parsed from this request's body, once every check passed, for
   * Fastify's JSON parser; `undefined` when no guard parsed the body as JSON.
   */
  parsedBody(): ParsedBody | undefined
  /**
   * Like {@link ReplayableRequest.replay}, for a body a guard parsed as JSON: a stream that reads
   * the bytes only when a parser other than the plugin's JSON parser asks for them.
   */
  lazyReplay(): Readable
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
  #parsed: ParsedBody | undefined

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

  parsedJson(value: unknown, bytes: Uint8Array): void {
    this.#parsed = { value, length: bytes.byteLength }
  }

  replay(): Promise<Readable> | undefined {
    if (!this.#read) return undefined
    // The body is cached after the first read: an unbounded limit only returns the same bytes.
    return this.#inner.body(Number.MAX_SAFE_INTEGER).then(replayStream)
  }

  parsedBody(): ParsedBody | undefined {
    return this.#parsed
  }

  lazyReplay(): Readable {
    return new LazyReplay(this.#inner)
  }
}

/** A stream of the cached body that fetches the bytes only when first read. */
class LazyReplay extends Readable {
  readonly #source: SecurityRequest
  #started = false

  constructor(source: SecurityRequest) {
    super()
    this.#source = source
  }

  override _read(): void {
    if (this.#started) return
    this.#started = true
    this.#source.body(Number.MAX_SAFE_INTEGER).then(
      (bytes) => {
        this.push(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))
        this.push(null)
      },
      (error: Error) => this.destroy(error),
    )
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
