import type { IncomingMessage } from 'node:http'
import {
  bodyTooLarge,
  concatChunks,
  declaredLength,
  SecError,
  SecProblemError,
  statusProblem,
} from '@sec/core'

const empty = new Uint8Array(0)

/** The client went away (or the connection broke) before the whole body arrived. */
function bodyIncomplete(): SecProblemError {
  return new SecProblemError(statusProblem(400, { detail: 'The request body ended before it was complete.' }))
}

function bodyConsumed(): SecError {
  return new SecError(
    'SEC_BODY_CONSUMED',
    'The request body was already read by another middleware (a body parser such as express.json()) before a @sec guard needed it. Run the guards that read the body before any body parser, or drop the parser: the parsed body is on the outcome (outcome.body).',
  )
}

const refused = new WeakSet<IncomingMessage>()

/**
 * Keeps the rest of a refused body flowing into nothing. Pausing instead would stall the client's
 * upload, and closing a socket with unread data makes the kernel answer with a reset that can
 * destroy the 413 before the client reads it. The response to a refused body carries
 * `Connection: close` (see {@link bodyRefused}), so the socket closes once it is written instead of
 * reading the rest of an upload of any size to keep the connection alive.
 */
function discard(req: IncomingMessage): void {
  refused.add(req)
  req.resume()
}

/** Whether {@link readNodeBody} refused this request's body as too large. */
export function bodyRefused(req: IncomingMessage): boolean {
  return refused.has(req)
}

function asBytes(chunk: Buffer): Uint8Array {
  return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength)
}

/**
 * Reads the body of an `IncomingMessage`, at most `limit` bytes. It refuses at once when
 * `Content-Length` already says too much, and stops keeping bytes as soon as the limit is passed;
 * both reject with `bodyTooLarge(limit)` (a 413 problem). A client that disconnects mid-body
 * rejects with a 400 problem; a body another middleware already consumed rejects with a
 * `SecError` (`SEC_BODY_CONSUMED`). It never waits on a stream that will not end.
 *
 * Call it once per request: `fromNodeRequest` wraps it with `onceBody` for you.
 */
export function readNodeBody(req: IncomingMessage, limit: number): Promise<Uint8Array> {
  return readBody(req, limit, req.headers['content-length'] ?? null)
}

/**
 * {@link readNodeBody} with the `Content-Length` value already at hand (from the raw headers), so
 * that `req.headers` is not read: on a request object whose prototype a framework swapped
 * (Express), every property read goes down the slow path.
 */
export function readBody(
  req: IncomingMessage,
  limit: number,
  contentLength: string | null,
): Promise<Uint8Array> {
  const declared = declaredLength(contentLength)
  if (declared !== undefined && declared > limit) {
    discard(req)
    return Promise.reject(bodyTooLarge(limit))
  }
  if (req.readableDidRead) return Promise.reject(bodyConsumed())
  if (req.readableEnded) return Promise.resolve(empty)
  if (req.destroyed) return Promise.reject(bodyIncomplete())
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = []
    let total = 0
    const cleanup = () => {
      req.off('data', onData)
      req.off('end', onEnd)
      req.off('error', onBroken)
      req.off('close', onBroken)
    }
    const onData = (chunk: Buffer) => {
      total += chunk.byteLength
      if (total > limit) {
        cleanup()
        discard(req)
        reject(bodyTooLarge(limit))
        return
      }
      chunks.push(asBytes(chunk))
    }
    const onEnd = () => {
      cleanup()
      resolve(concatChunks(chunks, total))
    }
    const onBroken = () => {
      cleanup()
      reject(bodyIncomplete())
    }
    req.on('data', onData)
    req.on('end', onEnd)
    req.on('error', onBroken)
    req.on('close', onBroken)
  })
}
