import type { IncomingMessage } from 'node:http'
import { Transform, type TransformCallback } from 'node:stream'
import { finished } from 'node:stream/promises'
import { bodyTooLarge, concatChunks, SecProblemError, type SecurityRequest, statusProblem } from '@sec/core'
import { fromNodeRequest } from '@sec/node'

/** Whether the request announces a body (a non-zero `Content-Length`, or chunked transfer coding). */
export function announcesBody(raw: IncomingMessage): boolean {
  const length = raw.headers['content-length']
  return raw.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0')
}

/**
 * Passes the body through to Fastify's parser unchanged while keeping the bytes, up to `limit`,
 * so guards that run after parsing (`hook: 'preHandler'`) can still read the raw body. Past the
 * limit it drops what it kept: memory stays bounded even under a streaming parser (multipart).
 */
export class BodyTap extends Transform {
  readonly #limit: number
  #chunks: Uint8Array[] = []
  #size = 0
  #overflow = false

  constructor(limit: number) {
    super()
    this.#limit = limit
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (!this.#overflow) {
      this.#size += chunk.byteLength
      if (this.#size > this.#limit) {
        this.#overflow = true
        this.#chunks = []
      } else {
        this.#chunks.push(chunk)
      }
    }
    callback(null, chunk)
  }

  /**
   * The body, once all of it went through: read to the end first when no parser consumed it.
   * Rejects with a 413 problem past `limit` (or past the tap's own limit), and with a 400 problem
   * when the client broke off the upload.
   */
  async bytes(limit: number): Promise<Uint8Array> {
    if (!this.#overflow && !this.readableEnded) {
      this.resume()
      try {
        await finished(this)
      } catch {
        throw new SecProblemError(
          statusProblem(400, { detail: 'The request body ended before it was complete.' }),
        )
      }
    }
    if (this.#overflow) throw bodyTooLarge(Math.min(limit, this.#limit))
    if (this.#size > limit) throw bodyTooLarge(limit)
    return concatChunks(this.#chunks, this.#size)
  }
}

/**
 * The `SecurityRequest` of a request whose guards run in `preHandler`, after Fastify parsed the
 * body: the body comes from the {@link BodyTap} that watched Fastify read it, or from the request
 * stream when no body was announced.
 */
export function tappedRequest(raw: IncomingMessage, tap: BodyTap | undefined): SecurityRequest {
  const request = fromNodeRequest(raw)
  return tap === undefined ? request : { ...request, body: (limit) => tap.bytes(limit) }
}
