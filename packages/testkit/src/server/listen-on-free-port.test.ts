import { createServer, request } from 'node:http'
import { describe, expect, it } from 'vitest'
import { listenOnFreePort } from './listen-on-free-port.js'

describe('listenOnFreePort', () => {
  it('listens on an ephemeral port of 127.0.0.1 and serves there', async () => {
    const server = createServer((_req, res) => res.end('hello'))
    const served = await listenOnFreePort(server)
    try {
      expect(served.url).toMatch(/^http:\/\/127\.0\.0\.1:[1-9][0-9]*$/)
      const response = await fetch(served.url)
      expect([response.status, await response.text()]).toEqual([200, 'hello'])
    } finally {
      await served.close()
    }
    expect(server.listening).toBe(false)
  })

  it('closes while a response is still being sent, dropping its connection', async () => {
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-length': '100' })
      res.write('partial')
    })
    const served = await listenOnFreePort(server)
    const dropped = new Promise<string>((resolve) => {
      const req = request(served.url, { agent: false }, (res) => {
        res.on('error', (error) => resolve(error.message))
        res.on('end', () => resolve('ended'))
        res.resume()
        void served.close()
      })
      req.on('error', (error) => resolve(error.message))
      req.end()
    })
    expect(await dropped).toBe('aborted')
    expect(server.listening).toBe(false)
  })

  it('fails to close a server that no longer listens', async () => {
    const served = await listenOnFreePort(createServer())
    await served.close()
    await expect(served.close()).rejects.toThrow('Server is not running.')
  })
})
