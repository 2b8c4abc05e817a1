import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import { type ListeningServer, listenOnFreePort } from '../server/listen-on-free-port.js'
import { sendRequest } from './send-request.js'

let served: ListeningServer | undefined

afterEach(async () => {
  const current = served
  served = undefined
  await current?.close()
})

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  served = await listenOnFreePort(createServer(handler))
  return served.url
}

/** Answers with what it received: method, target, header lines and the body as hex. */
function echo(req: IncomingMessage, res: ServerResponse): void {
  const chunks: Buffer[] = []
  req.on('data', (chunk: Buffer) => chunks.push(chunk))
  req.on('end', () => {
    res.setHeader('content-type', 'application/json')
    res.end(
      JSON.stringify({
        method: req.method,
        url: req.url,
        rawHeaders: req.rawHeaders,
        body: Buffer.concat(chunks).toString('hex'),
      }),
    )
  })
}

describe('sendRequest', () => {
  it('sends header lines in order with duplicates, the given Host, and the target untouched', async () => {
    const url = await listen(echo)
    const response = await sendRequest(url, {
      target: '/a/../b?x=%ZZ&y=1#frag',
      headers: [
        ['Host', 'api.example.com'],
        ['X-Forwarded-For', '198.51.100.1'],
        ['x-forwarded-for', '203.0.113.7'],
      ],
    })
    expect(response.status).toBe(200)
    expect(JSON.parse(response.body)).toEqual({
      method: 'GET',
      url: '/a/../b?x=%ZZ&y=1#frag',
      rawHeaders: [
        'Host',
        'api.example.com',
        'X-Forwarded-For',
        '198.51.100.1',
        'x-forwarded-for',
        '203.0.113.7',
        'Connection',
        'close',
      ],
      body: '',
    })
  })

  it("adds a Host line for the server's own address when none is given", async () => {
    const url = await listen(echo)
    const response = await sendRequest(url, { target: '/' })
    const { rawHeaders } = JSON.parse(response.body) as { rawHeaders: string[] }
    expect(rawHeaders.slice(0, 2)).toEqual(['Host', new URL(url).host])
  })

  it('sends bytes above 0x7f in a header value as they are', async () => {
    const url = await listen(echo)
    const response = await sendRequest(url, { target: '/', headers: [['X-Raw', 'caf\xe9\xff']] })
    const { rawHeaders } = JSON.parse(response.body) as { rawHeaders: string[] }
    expect(rawHeaders.slice(2, 4)).toEqual(['X-Raw', 'caf\xe9\xff'])
  })

  it('sends a body with Content-Length, or chunked in chunks of the given size', async () => {
    const url = await listen(echo)
    const bytes = new Uint8Array([0x7b, 0xff, 0x00, 0x7d, 0x41])
    const plain = await sendRequest(url, { method: 'POST', target: '/', body: bytes })
    expect(JSON.parse(plain.body)).toMatchObject({
      method: 'POST',
      rawHeaders: ['Host', new URL(url).host, 'Content-Length', '5', 'Connection', 'close'],
      body: '7bff007d41',
    })
    const chunked = await sendRequest(url, {
      method: 'POST',
      target: '/',
      body: bytes,
      chunked: true,
      chunkSize: 2,
    })
    expect(JSON.parse(chunked.body)).toMatchObject({
      rawHeaders: ['Host', new URL(url).host, 'Transfer-Encoding', 'chunked', 'Connection', 'close'],
      body: '7bff007d41',
    })
  })

  it('joins repeated response headers by name and keeps the raw lines', async () => {
    const url = await listen((_req, res) => {
      res.setHeader('Vary', ['Origin', 'Accept'])
      res.end('é')
    })
    const response = await sendRequest(url, { target: '/' })
    expect(response.headers.vary).toBe('Origin, Accept')
    expect(response.rawHeaders.slice(0, 4)).toEqual(['Vary', 'Origin', 'Vary', 'Accept'])
    expect(response.body).toBe('é')
  })

  it('returns the response of a server that answers before reading a large body', async () => {
    const url = await listen((_req, res) => {
      res.statusCode = 413
      res.setHeader('connection', 'close')
      res.end('too large')
    })
    const response = await sendRequest(url, {
      method: 'POST',
      target: '/',
      body: new Uint8Array(4 * 1024 * 1024),
      chunked: true,
    })
    expect([response.status, response.body]).toEqual([413, 'too large'])
  })

  it('fails when no complete response arrives in time', async () => {
    const url = await listen(() => undefined)
    await expect(sendRequest(url, { target: '/slow', timeout: 200 })).rejects.toThrow(
      'No complete response to GET /slow within 200 ms',
    )
  })

  it('fails when the connection closes in the middle of the response', async () => {
    const url = await listen((_req, res) => {
      res.writeHead(200, { 'content-length': '100' })
      res.write('partial')
      setTimeout(() => res.destroy(), 20)
    })
    await expect(sendRequest(url, { target: '/' })).rejects.toThrow()
  })
})
