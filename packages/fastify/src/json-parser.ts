import type { Readable } from 'node:stream'
import { errorCodes, type FastifyContentTypeParser, type FastifyInstance, type FastifyRequest } from 'fastify'
import type { ParsedBody } from './replayable-request.js'

/** What a body guard parsed from a request, or `undefined` when none parsed it as JSON. */
export type ParsedBodyOf = (request: FastifyRequest) => ParsedBody | undefined

type Done = (error: Error | null, body?: unknown) => void

/** A stream Fastify hands a parser; `receivedEncodedLength` is set by decompressing preParsing hooks. */
interface Payload extends Readable {
  readonly receivedEncodedLength?: number
}

/**
 * Reads a request body as Fastify does for a parser registered with `parseAs: 'string'`: the
 * route's `bodyLimit` against `Content-Length` and against the bytes received, a
 * `Content-Length` that must match what arrived, stream errors as 400s, and one UTF-8 decode at
 * the end.
 */
function readText(
  request: FastifyRequest,
  payload: Payload,
  done: (error: Error | null, text: string) => void,
) {
  const limit = request.routeOptions.bodyLimit
  const contentLength = Number(request.headers['content-length'])
  if (contentLength > limit) {
    done(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE(), '')
    return
  }
  let received = 0
  const chunks: Buffer[] = []

  function stop(): void {
    payload.removeListener('data', onData)
    payload.removeListener('end', onEnd)
    payload.removeListener('error', onEnd)
  }

  function onData(chunk: Buffer | string): void {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk
    received += bytes.length
    if (received > limit || (payload.receivedEncodedLength ?? 0) > limit) {
      stop()
      done(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE(), '')
      return
    }
    chunks.push(bytes)
  }

  function onEnd(error?: Error & { statusCode?: number }): void {
    stop()
    if (error != null) {
      if (!(typeof error.statusCode === 'number' && error.statusCode >= 400)) error.statusCode = 400
      done(error, '')
      return
    }
    if (!Number.isNaN(contentLength) && (payload.receivedEncodedLength || received) !== contentLength) {
      done(new errorCodes.FST_ERR_CTP_INVALID_CONTENT_LENGTH(), '')
      return
    }
    const text =
      chunks.length === 1
        ? (chunks[0] as Buffer).toString('utf8')
        : Buffer.concat(chunks, received).toString('utf8')
    done(null, text)
  }

  payload.on('data', onData)
  payload.on('end', onEnd)
  payload.on('error', onEnd)
  payload.resume()
}

/**
 * Fastify's `application/json` parser, made aware of the body guards: when a guard already
 * parsed this request's JSON (after refusing prototype keys, repeated keys and documents past its
 * limits), `request.body` is that value, as received and before any schema transformed it, and
 * the bytes are neither read again nor parsed again; the route's `bodyLimit` still applies. Otherwise it reads and parses the body
 * exactly as Fastify's default parser does, with the app's `onProtoPoisoning` and
 * `onConstructorPoisoning` settings, and answers with the same errors.
 */
export function jsonParser(fastify: FastifyInstance, parsedBody: ParsedBodyOf): FastifyContentTypeParser {
  const { onProtoPoisoning = 'error', onConstructorPoisoning = 'error' } = fastify.initialConfig
  const parseText = fastify.getDefaultJsonParser(onProtoPoisoning, onConstructorPoisoning) as (
    request: FastifyRequest,
    text: string,
    done: Done,
  ) => void
  return (request, payload, done) => {
    const parsed = parsedBody(request)
    if (parsed !== undefined) {
      // The route's bodyLimit still applies, as when Fastify read the bytes the guard read.
      if (parsed.length > request.routeOptions.bodyLimit) done(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE())
      else done(null, parsed.value)
      return
    }
    readText(request, payload as unknown as Payload, (error, text) => {
      if (error !== null) done(error, undefined)
      else parseText(request, text, done)
    })
  }
}
