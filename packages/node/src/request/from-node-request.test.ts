import type { IncomingMessage } from 'node:http'
import type { SecurityRequest } from '@sec/core'
import { afterEach, describe, expect, it } from 'vitest'
import { listen, rawRequest, type TestServer } from '../testing/test-server.js'
import { fromNodeRequest } from './from-node-request.js'

let server: TestServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

/** Sends raw request text and returns the SecurityRequest the server built for it. */
async function capture(text: (port: number) => string, options?: { url?: string }): Promise<SecurityRequest> {
  let seen: SecurityRequest | undefined
  server = await listen((req, res) => {
    seen = fromNodeRequest(req, options)
    res.end()
  })
  await rawRequest(server.port, text(server.port))
  if (seen === undefined) throw new Error('no request reached the server')
  return seen
}

describe('fromNodeRequest', () => {
  it('exposes method, target, peer address and TLS flag of a plain request', async () => {
    const request = await capture(
      () => 'GET /v1/notes?q=a HTTP/1.1\r\nHost: api.test\r\nConnection: close\r\n\r\n',
    )
    expect(request.method).toBe('GET')
    expect(request.target).toBe('/v1/notes?q=a')
    expect(request.remoteAddress).toBe('127.0.0.1')
    expect(request.encrypted).toBe(false)
  })

  it('keeps duplicated Host lines that req.headers would drop', async () => {
    const request = await capture(
      () => 'GET / HTTP/1.1\r\nHost: good.test\r\nhost: evil.test\r\nConnection: close\r\n\r\n',
    )
    expect(request.headers.getAll('host')).toEqual(['good.test', 'evil.test'])
    expect(request.headers.get('Host')).toBe('good.test, evil.test')
  })

  it('reduces an absolute-form target to its path and query', async () => {
    const request = await capture(
      () => 'GET http://api.test/v1/notes?q=a HTTP/1.1\r\nHost: api.test\r\nConnection: close\r\n\r\n',
    )
    expect(request.target).toBe('/v1/notes?q=a')
  })

  it('keeps * for OPTIONS *', async () => {
    const request = await capture(() => 'OPTIONS * HTTP/1.1\r\nHost: api.test\r\nConnection: close\r\n\r\n')
    expect(request.method).toBe('OPTIONS')
    expect(request.target).toBe('*')
  })

  it('takes the URL from the options when a router rewrote req.url', async () => {
    const request = await capture(() => 'GET /x HTTP/1.1\r\nHost: api.test\r\nConnection: close\r\n\r\n', {
      url: '/api/x?y=1',
    })
    expect(request.target).toBe('/api/x?y=1')
  })

  it('upper-cases the method, reports a TLS socket as encrypted, and lets the options override both', () => {
    const req = {
      method: 'patch',
      url: '/',
      rawHeaders: [],
      headers: {},
      socket: { encrypted: true, remoteAddress: '::1' },
    }
    const tls = fromNodeRequest(req as unknown as IncomingMessage)
    expect(tls.method).toBe('PATCH')
    expect(tls.encrypted).toBe(true)
    expect(tls.remoteAddress).toBe('::1')
    const overridden = fromNodeRequest(req as unknown as IncomingMessage, {
      encrypted: false,
      remoteAddress: '10.0.0.1',
    })
    expect(overridden.encrypted).toBe(false)
    expect(overridden.remoteAddress).toBe('10.0.0.1')
  })
})
