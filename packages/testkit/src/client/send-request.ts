import { request as httpRequest } from 'node:http'

/** Header lines in the order they are sent; a name may repeat, and each line is sent as given. */
export type HeaderLines = readonly (readonly [name: string, value: string])[]

/** A request exactly as the conformance client puts it on the wire. */
export interface ConformanceRequest {
  /** The method, sent as given. Default: `GET`. */
  readonly method?: string
  /** The request target in origin form (`/path?query`), sent byte for byte, without normalization. */
  readonly target: string
  /**
   * Header lines, in order, duplicates kept. A `Host` line is added first when none is given: the
   * host and port of the server's URL. Default: none besides that `Host` line.
   */
  readonly headers?: HeaderLines
  /** The body; a string is sent as UTF-8. Default: none. */
  readonly body?: string | Uint8Array
  /**
   * Send the body with `Transfer-Encoding: chunked` in chunks of `chunkSize` bytes instead of a
   * `Content-Length`. Default: `false`.
   */
  readonly chunked?: boolean
  /** The size of each chunk of a chunked body, in bytes. Default: `16384`. */
  readonly chunkSize?: number
  /** How long to wait for the whole response before failing, in ms. Default: `10000`. */
  readonly timeout?: number
}

/** A response as received. */
export interface ConformanceResponse {
  /** The status code. */
  readonly status: number
  /** Header fields by lower-case name; repeated fields joined with `", "`. */
  readonly headers: Readonly<Record<string, string>>
  /** The header lines as received: name, value, name, value… */
  readonly rawHeaders: readonly string[]
  /** The body, decoded as UTF-8. */
  readonly body: string
}

function joinHeaders(raw: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {}
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = (raw[i] as string).toLowerCase()
    const value = raw[i + 1] as string
    headers[name] = name in headers ? `${headers[name]}, ${value}` : value
  }
  return headers
}

function headerArray(base: URL, request: ConformanceRequest, body: Uint8Array | undefined): string[] {
  const lines = request.headers ?? []
  const out: string[] = []
  if (!lines.some(([name]) => name.toLowerCase() === 'host')) out.push('Host', base.host)
  for (const [name, value] of lines) out.push(name, value)
  if (body !== undefined) {
    if (request.chunked === true) out.push('Transfer-Encoding', 'chunked')
    else out.push('Content-Length', String(body.byteLength))
  }
  return out
}

/**
 * Sends one request over a new connection with `node:http` and resolves with the full response.
 * Unlike `fetch`, it sends repeated header lines, any `Host`, raw bytes in header values and
 * bodies, and chunked bodies. It rejects when no complete response arrives within `timeout`.
 *
 * @example
 * const res = await sendRequest(server.url, { target: '/health', headers: [['Origin', 'https://app.example.com']] })
 */
export function sendRequest(url: string, request: ConformanceRequest): Promise<ConformanceResponse> {
  const base = new URL(url)
  const body = typeof request.body === 'string' ? new TextEncoder().encode(request.body) : request.body
  const timeout = request.timeout ?? 10_000
  return new Promise((resolve, reject) => {
    let received = false
    const req = httpRequest({
      host: base.hostname,
      port: base.port,
      method: request.method ?? 'GET',
      path: request.target,
      headers: headerArray(base, request, body),
      setHost: false,
      agent: false,
    })
    const timer = setTimeout(() => {
      req.destroy(
        new Error(
          `No complete response to ${request.method ?? 'GET'} ${request.target} within ${timeout} ms`,
        ),
      )
    }, timeout)
    req.on('response', (res) => {
      received = true
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('error', (error) => {
        clearTimeout(timer)
        reject(error)
      })
      res.on('close', () => {
        if (res.complete) return
        clearTimeout(timer)
        reject(new Error(`The connection closed before the response to ${request.target} was complete`))
      })
      res.on('end', () => {
        clearTimeout(timer)
        resolve({
          status: res.statusCode ?? 0,
          headers: joinHeaders(res.rawHeaders),
          rawHeaders: res.rawHeaders,
          body: Buffer.concat(chunks).toString('utf8'),
        })
      })
    })
    req.on('error', (error) => {
      // A server may answer (e.g. 413) and close before it read the whole body: the write then
      // fails, but the response is what the test is about.
      if (received) return
      clearTimeout(timer)
      reject(error)
    })
    if (body === undefined) {
      req.end()
      return
    }
    if (request.chunked === true) {
      const size = request.chunkSize ?? 16_384
      for (let offset = 0; offset < body.byteLength; offset += size)
        req.write(body.subarray(offset, offset + size))
      req.end()
      return
    }
    req.end(body)
  })
}
