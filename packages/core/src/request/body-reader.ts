import { catalogProblem, SecProblemError } from '../problem/index.js'

/** Reads up to `limit` bytes of a body; must reject with {@link bodyTooLarge} past it. */
export type BodySource = (limit: number) => Promise<Uint8Array>

/** The error a body reader throws when the body exceeds its limit. */
export function bodyTooLarge(limit: number): SecProblemError {
  return new SecProblemError(catalogProblem('body-too-large', { detail: `The body exceeds ${limit} bytes.` }))
}

/**
 * Wraps a body source so that it is read once: later calls share the first read, and a cached
 * body longer than a later, smaller limit is refused as too large.
 */
export function onceBody(source: BodySource): (limit: number) => Promise<Uint8Array> {
  let pending: Promise<Uint8Array> | undefined
  return async (limit) => {
    pending ??= source(limit)
    const bytes = await pending
    if (bytes.byteLength > limit) throw bodyTooLarge(limit)
    return bytes
  }
}

/** Declared `Content-Length`, or `undefined` when absent or malformed. */
export function declaredLength(value: string | null): number | undefined {
  if (value === null || !/^\d{1,15}$/.test(value)) return undefined
  return Number(value)
}

/** Joins chunks into one buffer without an extra copy when there is a single chunk. */
export function concatChunks(chunks: readonly Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1 && chunks[0] !== undefined) return chunks[0]
  const out = new Uint8Array(total)
  let offset = 0
  for (const chunk of chunks) {
    out.set(chunk, offset)
    offset += chunk.byteLength
  }
  return out
}

/**
 * Reads a Web `ReadableStream` up to `limit` bytes. It refuses early when `Content-Length`
 * already says too much, and cancels the stream as soon as the limit is passed.
 */
export async function readWebStream(
  stream: ReadableStream<Uint8Array> | null,
  limit: number,
  contentLength: number | undefined,
): Promise<Uint8Array> {
  if (contentLength !== undefined && contentLength > limit) {
    await stream?.cancel().catch(() => undefined)
    throw bodyTooLarge(limit)
  }
  if (stream === null) return new Uint8Array(0)
  const reader = stream.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    total += value.byteLength
    if (total > limit) {
      await reader.cancel().catch(() => undefined)
      throw bodyTooLarge(limit)
    }
    chunks.push(value)
  }
  return concatChunks(chunks, total)
}
