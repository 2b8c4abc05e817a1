import { request as httpRequest, type IncomingMessage } from 'node:http'
import { connect } from 'node:net'
import { ResponseHeaders, SecError, SecProblemError } from '@sec/core'
import { afterEach, describe, expect, it } from 'vitest'
import { sendResponse } from '../response/send-response.js'
import { listen, rawRequest, type TestServer } from '../testing/test-server.js'
import { fromNodeRequest } from './from-node-request.js'

let server: TestServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

const decoder = new TextDecoder()

/** A server that reads the body with `limit` and answers the text, or the problem, as JSON. */
async function bodyServer(
  limit: number,
  before?: (req: IncomingMessage) => Promise<void>,
): Promise<TestServer> {
  return listen(async (req, res) => {
    await before?.(req)
    const request = fromNodeRequest(req)
    try {
      const bytes = await request.body(limit)
      res.setHeader('content-type', 'text/plain')
      res.end(`read ${bytes.byteLength}: ${decoder.decode(bytes)}`)
    } catch (error) {
      if (!(error instanceof SecProblemError)) throw error
      const headers = new ResponseHeaders()
      headers.set('content-type', 'application/problem+json')
      sendResponse(res, { status: error.problem.status, headers, body: JSON.stringify(error.problem) })
    }
  })
}

const tooLarge = (limit: number) =>
  JSON.stringify({
    detail: `The body exceeds ${limit} bytes.`,
    type: 'urn:sec:problem:body-too-large',
    title: 'Content Too Large',
    status: 413,
  })

describe('fromNodeRequest body', () => {
  it('reads a body up to the limit exactly', async () => {
    server = await bodyServer(5)
    const response = await fetch(server.url, { method: 'POST', body: 'hello' })
    expect(response.status).toBe(200)
    expect(await response.text()).toBe('read 5: hello')
  })

  it('reads a chunked body', async () => {
    server = await bodyServer(100)
    const text = await rawRequest(
      server.port,
      'POST / HTTP/1.1\r\nHost: a.test\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n',
    )
    expect(text.startsWith('HTTP/1.1 200 OK\r\n')).toBe(true)
    expect(text.endsWith('read 5: abcde')).toBe(true)
  })

  it('reads the bodies of pipelined requests, and one still arriving, on one connection', async () => {
    server = await bodyServer(100)
    const socket = connect(server.port, '127.0.0.1')
    let received = ''
    socket.setEncoding('latin1')
    socket.on('data', (text: string) => {
      received += text
    })
    const answers = () => received.split('HTTP/1.1 200 OK').length - 1
    const until = async (count: number) => {
      while (answers() < count) await new Promise((resolve) => setTimeout(resolve, 5))
    }
    // Two requests in one write, one with a chunked body.
    socket.write(
      'POST / HTTP/1.1\r\nHost: a.test\r\nContent-Length: 3\r\n\r\nabcPOST / HTTP/1.1\r\nHost: a.test\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nde\r\n1\r\nf\r\n0\r\n\r\n',
    )
    await until(2)
    // A third whose body comes in two parts.
    socket.write('POST / HTTP/1.1\r\nHost: a.test\r\nContent-Length: 4\r\nConnection: close\r\n\r\ngh')
    await new Promise((resolve) => setTimeout(resolve, 20))
    socket.write('ij')
    await new Promise((resolve) => socket.on('close', resolve))
    expect(received.match(/read \d+: [a-z]*/g)).toEqual(['read 3: abc', 'read 3: def', 'read 4: ghij'])
  })

  it('reads an empty body as zero bytes', async () => {
    server = await bodyServer(10)
    const response = await fetch(server.url)
    expect(await response.text()).toBe('read 0: ')
  })

  it('refuses a declared Content-Length over the limit before reading, with Connection: close', async () => {
    server = await bodyServer(4)
    const text = await rawRequest(
      server.port,
      'POST / HTTP/1.1\r\nHost: a.test\r\nContent-Length: 5\r\n\r\nhel',
    )
    expect(text.replace(/\r\nDate: [^\r]+/, '')).toBe(
      [
        'HTTP/1.1 413 Payload Too Large',
        'content-type: application/problem+json',
        'connection: close',
        `Content-Length: ${tooLarge(4).length}`,
        '',
        tooLarge(4),
      ].join('\r\n'),
    )
  })

  it('stops a chunked body one byte over the limit', async () => {
    server = await bodyServer(5)
    const text = await rawRequest(
      server.port,
      'POST / HTTP/1.1\r\nHost: a.test\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nabcdef\r\n0\r\n\r\n',
    )
    expect(text.startsWith('HTTP/1.1 413 Payload Too Large\r\n')).toBe(true)
    expect(text.endsWith(`\r\n\r\n${tooLarge(5)}`)).toBe(true)
  })

  it('answers a 10 MB upload with the 413, not a reset, for fetch and for node:http clients', async () => {
    server = await bodyServer(1024)
    const upload = new Uint8Array(10 * 1024 * 1024)
    const response = await fetch(server.url, { method: 'POST', body: upload })
    expect(response.status).toBe(413)
    expect(response.headers.get('connection')).toBe('close')
    expect(await response.text()).toBe(tooLarge(1024))

    const url = server.url
    const viaNode = await new Promise<{ status: number | undefined; body: string }>((resolve, reject) => {
      const req = httpRequest(url, { method: 'POST', headers: { 'transfer-encoding': 'chunked' } }, (res) => {
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => {
          body += chunk
        })
        res.on('end', () => resolve({ status: res.statusCode, body }))
      })
      // The server closes the connection while the upload is still being written; that is expected.
      req.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') reject(error)
      })
      for (let i = 0; i < 10; i++) req.write(new Uint8Array(1024 * 1024))
      req.end()
    })
    expect(viaNode).toEqual({ status: 413, body: tooLarge(1024) })
  })

  it('reads the body once: a second call gets the same bytes, a smaller limit refuses them', async () => {
    const results: unknown[] = []
    server = await listen(async (req, res) => {
      const request = fromNodeRequest(req)
      results.push(decoder.decode(await request.body(10)))
      results.push(decoder.decode(await request.body(10)))
      results.push(await request.body(2).catch((error: SecProblemError) => error.problem.status))
      res.end()
    })
    await fetch(server.url, { method: 'POST', body: 'abc' })
    expect(results).toEqual(['abc', 'abc', 413])
  })

  it('rejects with a 400 problem when the client disconnects mid-body', async () => {
    let failure: unknown
    let settle: () => void = () => undefined
    const settled = new Promise<void>((resolve) => {
      settle = resolve
    })
    server = await listen(async (req) => {
      try {
        await fromNodeRequest(req).body(1000)
      } catch (error) {
        failure = error
      }
      settle()
    })
    const socket = connect(server.port, '127.0.0.1', () => {
      socket.write('POST / HTTP/1.1\r\nHost: a.test\r\nContent-Length: 100\r\n\r\nonly part', () => {
        setTimeout(() => socket.destroy(), 20)
      })
    })
    socket.on('error', () => undefined)
    await settled
    expect(failure).toBeInstanceOf(SecProblemError)
    expect((failure as SecProblemError).problem).toEqual({
      detail: 'The request body ended before it was complete.',
      type: 'about:blank',
      title: 'Bad Request',
      status: 400,
    })
  })

  it('refuses, without hanging, a body another middleware already consumed', async () => {
    let failure: unknown
    server = await listen(async (req, res) => {
      for await (const _ of req) void _
      failure = await fromNodeRequest(req)
        .body(100)
        .catch((error: unknown) => error)
      res.end()
    })
    await fetch(server.url, { method: 'POST', body: 'abc' })
    expect(failure).toBeInstanceOf(SecError)
    expect((failure as SecError).code).toBe('SEC_BODY_CONSUMED')
  })

  it('reads an empty body another middleware already drained as zero bytes', async () => {
    server = await bodyServer(10, async (req) => {
      for await (const _ of req) void _
    })
    const response = await fetch(server.url, { method: 'POST', body: '' })
    expect(await response.text()).toBe('read 0: ')
  })
})
