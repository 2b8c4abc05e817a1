import type { IncomingMessage } from 'node:http'
import { Readable } from 'node:stream'
import type { SecurityRequest } from '@sec/core'
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
 * The `SecurityRequest` of a request whose guards run in `onRequest`, before Fastify reads the
 * body. It remembers whether a guard read the body: Fastify's content-type parsers would otherwise
 * wait on a stream that has already ended, so {@link ReplayableRequest.replay} hands them the same
 * bytes instead.
 */
export function replayableRequest(raw: IncomingMessage): ReplayableRequest {
  const inner = fromNodeRequest(raw)
  let read = false
  return {
    ...inner,
    body(limit) {
      read = true
      return inner.body(limit)
    },
    replay() {
      if (!read) return undefined
      // The body is cached after the first read: an unbounded limit only returns the same bytes.
      return inner
        .body(Number.MAX_SAFE_INTEGER)
        .then((bytes) => Readable.from([Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)]))
    },
  }
}
