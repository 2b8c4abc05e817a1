import { createServer, request, type Server } from 'node:http'
import { describe, expect, it } from 'vitest'
import { listeningUrl, listenOn } from './listen-on.js'

describe('listenOn', () => {
  it('listens on 127.0.0.1 by default and gives its URL', async () => {
    const server = createServer((_req, res) => res.end('hello'))
    const running = await listenOn(server, { port: 0 })
    try {
      const address = server.address()
      expect(typeof address === 'object' && address?.address).toBe('127.0.0.1')
      expect(running.url).toBe(`http://127.0.0.1:${typeof address === 'object' && address?.port}`)
      const response = await fetch(running.url)
      expect([response.status, await response.text()]).toEqual([200, 'hello'])
    } finally {
      await running.close()
    }
    expect(server.listening).toBe(false)
  })

  it('closes while a response is still being sent, dropping its connection', async () => {
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-length': '100' })
      res.write('partial')
    })
    const running = await listenOn(server, { port: 0, host: '127.0.0.1' })
    const dropped = new Promise<string>((resolve) => {
      const req = request(running.url, { agent: false }, (res) => {
        res.on('error', (error) => resolve(error.message))
        res.on('end', () => resolve('ended'))
        res.resume()
        void running.close()
      })
      req.on('error', (error) => resolve(error.message))
      req.end()
    })
    expect(await dropped).toBe('aborted')
    expect(server.listening).toBe(false)
  })

  it('rejects when the port is taken', async () => {
    const first = await listenOn(createServer(), { port: 0 })
    try {
      const port = Number(new URL(first.url).port)
      await expect(listenOn(createServer(), { port })).rejects.toMatchObject({ code: 'EADDRINUSE' })
    } finally {
      await first.close()
    }
  })
})

describe('listeningUrl', () => {
  const at = (port: number) => ({ address: () => ({ address: '::', family: 'IPv6', port }) }) as Server

  it('puts an IPv6 host in brackets', () => {
    expect(listeningUrl(at(3001), '::1')).toBe('http://[::1]:3001')
    expect(listeningUrl(at(3001), 'localhost')).toBe('http://localhost:3001')
  })

  it('refuses a server that is not listening', () => {
    expect(() => listeningUrl(createServer(), '127.0.0.1')).toThrow('Expected a TCP address.')
  })
})
