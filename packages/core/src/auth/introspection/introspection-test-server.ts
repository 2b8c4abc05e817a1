/**
 * Test support, not part of the package: an RFC 7662 introspection endpoint served by a real HTTP
 * server on 127.0.0.1, which records every request it gets. Only test files import it; `node:http`
 * is loaded at run time so that the package's build never sees it.
 */

/** What the server answers to one request. */
export interface IntrospectionAnswer {
  /** Default: 200. */
  readonly status?: number
  /** A value sent as JSON (with its `Content-Length`). */
  readonly json?: unknown
  /** Raw bytes or text sent instead of `json`. */
  readonly raw?: string | Uint8Array
  /** Sent one after the other without a `Content-Length` (chunked), instead of `json` or `raw`. */
  readonly chunks?: readonly string[]
  readonly headers?: Readonly<Record<string, string>>
  /** ms to wait before answering. */
  readonly delay?: number
}

/** A request the server got. */
export interface RecordedRequest {
  readonly method: string
  readonly url: string
  readonly headers: Readonly<Record<string, string | string[] | undefined>>
  /** The raw body. */
  readonly body: string
  /** The `token` form field, if any. */
  readonly token: string | null
}

/** Decides the answer to each request. */
export type Answerer = (request: RecordedRequest) => IntrospectionAnswer

/** An introspection endpoint on an ephemeral port. */
export interface IntrospectionServer {
  /** The endpoint's URL (`http://127.0.0.1:<port>/oauth2/introspect`). */
  readonly url: string
  /** The requests answered so far, oldest first. */
  readonly requests: readonly RecordedRequest[]
  /** Answers with another answerer from now on. */
  answer(answerer: Answerer): void
  close(): Promise<void>
}

/** An answerer that knows some tokens and says `{ active: false }` for every other. */
export function knownTokens(responses: Readonly<Record<string, unknown>>): Answerer {
  return (request) => ({
    json: (request.token !== null && Object.hasOwn(responses, request.token)
      ? responses[request.token]
      : undefined) ?? { active: false },
  })
}

interface NodeRequest {
  readonly method: string
  readonly url: string
  readonly headers: Record<string, string | string[] | undefined>
  on(event: 'data', listener: (chunk: Uint8Array) => void): void
  on(event: 'end', listener: () => void): void
}
interface NodeResponse {
  writeHead(status: number, headers: Record<string, string | number>): void
  write(chunk: string | Uint8Array): void
  end(body?: string | Uint8Array): void
}
interface NodeServer {
  listen(port: number, host: string, callback: () => void): void
  address(): { port: number }
  close(callback: () => void): void
  closeAllConnections(): void
}
interface NodeHttp {
  createServer(handler: (request: NodeRequest, response: NodeResponse) => void): NodeServer
}

const encoder = new TextEncoder()
const decoder = new TextDecoder()

function send(response: NodeResponse, answer: IntrospectionAnswer): void {
  const headers = { 'content-type': 'application/json', ...answer.headers }
  if (answer.chunks !== undefined) {
    response.writeHead(answer.status ?? 200, headers)
    for (const chunk of answer.chunks) response.write(chunk)
    response.end()
    return
  }
  const raw = answer.raw ?? (answer.json === undefined ? '' : JSON.stringify(answer.json))
  const bytes = typeof raw === 'string' ? encoder.encode(raw) : raw
  response.writeHead(answer.status ?? 200, { ...headers, 'content-length': bytes.byteLength })
  response.end(bytes)
}

/** Starts an introspection endpoint (Node only). */
export async function startIntrospectionServer(initial: Answerer): Promise<IntrospectionServer> {
  const http = (await import('node:http' as string)) as NodeHttp
  let answerer = initial
  const requests: RecordedRequest[] = []
  const timers = new Set<ReturnType<typeof setTimeout>>()
  const server = http.createServer((request, response) => {
    const chunks: Uint8Array[] = []
    request.on('data', (chunk) => chunks.push(chunk))
    request.on('end', () => {
      const body = decoder.decode(concat(chunks))
      const recorded: RecordedRequest = {
        method: request.method,
        url: request.url,
        headers: request.headers,
        body,
        token: new URLSearchParams(body).get('token'),
      }
      requests.push(recorded)
      const answer = answerer(recorded)
      if (answer.delay === undefined) return send(response, answer)
      const timer = setTimeout(() => {
        timers.delete(timer)
        send(response, answer)
      }, answer.delay)
      timers.add(timer)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${server.address().port}/oauth2/introspect`,
    requests,
    answer(next) {
      answerer = next
    },
    close() {
      for (const timer of timers) clearTimeout(timer)
      server.closeAllConnections()
      return new Promise((resolve) => server.close(() => resolve()))
    },
  }
}

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((total, chunk) => total + chunk.byteLength, 0))
  let offset = 0
  for (const chunk of chunks) {
    out.set(chunk, offset)
    offset += chunk.byteLength
  }
  return out
}
