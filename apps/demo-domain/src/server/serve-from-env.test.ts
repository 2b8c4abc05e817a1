import { afterEach, describe, expect, it, vi } from 'vitest'
import type { ListenOptions, RunningServer, StartOptions } from './listen-on.js'
import { serveFromEnv } from './serve-from-env.js'

afterEach(() => {
  vi.unstubAllEnvs()
  vi.restoreAllMocks()
})

function fakeStart() {
  const close = vi.fn(async () => undefined)
  const start = vi.fn(
    async (options: StartOptions & Required<ListenOptions>): Promise<RunningServer> => ({
      url: `http://${options.host}:${options.port}`,
      close,
    }),
  )
  return { start, close }
}

const aDemo = expect.objectContaining({
  security: expect.any(Object),
  routes: expect.any(Object),
  handlers: expect.any(Object),
  store: expect.any(Object),
})

describe('serveFromEnv', () => {
  it('starts where PORT and HOST say, logs the URL, and closes then exits on SIGTERM', async () => {
    vi.stubEnv('PORT', '8080')
    vi.stubEnv('HOST', '0.0.0.0')
    vi.stubEnv('REDIS_URL', '')
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined)
    const exit = vi.spyOn(process, 'exit').mockImplementation(() => undefined as never)
    const { start, close } = fakeStart()
    const sigint = process.listenerCount('SIGINT')

    const server = await serveFromEnv('x-demo', 3001, start)
    expect(process.listenerCount('SIGINT')).toBe(sigint + 1)

    expect(start).toHaveBeenCalledWith({ port: 8080, host: '0.0.0.0', demo: aDemo })
    expect(server.url).toBe('http://0.0.0.0:8080')
    expect(log.mock.calls).toEqual([['x-demo listening on http://0.0.0.0:8080']])
    process.emit('SIGTERM', 'SIGTERM')
    await vi.waitFor(() => expect(exit).toHaveBeenCalledWith(0))
    expect(close).toHaveBeenCalledTimes(1)
    expect(process.listenerCount('SIGINT')).toBe(sigint)
  })

  it('falls back to the default port and 127.0.0.1, and stops on SIGINT too', async () => {
    vi.stubEnv('PORT', '')
    vi.stubEnv('HOST', '')
    vi.stubEnv('REDIS_URL', '')
    vi.spyOn(console, 'log').mockImplementation(() => undefined)
    const exit = vi.spyOn(process, 'exit').mockImplementation(() => undefined as never)
    const { start, close } = fakeStart()
    const sigterm = process.listenerCount('SIGTERM')

    await serveFromEnv('x-demo', 3001, start)
    expect(process.listenerCount('SIGTERM')).toBe(sigterm + 1)

    expect(start).toHaveBeenCalledWith({ port: 3001, host: '127.0.0.1', demo: aDemo })
    process.emit('SIGINT', 'SIGINT')
    await vi.waitFor(() => expect(exit).toHaveBeenCalledWith(0))
    expect(close).toHaveBeenCalledTimes(1)
    expect(process.listenerCount('SIGTERM')).toBe(sigterm)
  })

  it('shares the rate limits through the Redis of REDIS_URL, says where without the password, and disconnects on exit', async () => {
    vi.stubEnv('PORT', '8080')
    vi.stubEnv('REDIS_URL', 'redis://:s3cret@127.0.0.1:1/0')
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined)
    const exit = vi.spyOn(process, 'exit').mockImplementation(() => undefined as never)
    const { start } = fakeStart()

    await serveFromEnv('x-demo', 3001, start)
    expect(log.mock.calls).toEqual([
      ['x-demo listening on http://127.0.0.1:8080'],
      ['x-demo shares its rate limits through Redis at 127.0.0.1:1'],
    ])
    process.emit('SIGTERM', 'SIGTERM')
    await vi.waitFor(() => expect(exit).toHaveBeenCalledWith(0))
  })

  it('refuses a PORT that is not a port, before starting anything', async () => {
    vi.stubEnv('PORT', 'http')
    const { start } = fakeStart()
    await expect(serveFromEnv('x-demo', 3001, start)).rejects.toThrow(
      'PORT must be a whole number from 0 to 65535, got "http".',
    )
    expect(start).not.toHaveBeenCalled()
  })

  it('refuses a REDIS_URL that is not a Redis URL, before starting anything, without repeating it', async () => {
    vi.stubEnv('REDIS_URL', 'http://user:s3cret@127.0.0.1:6379')
    const { start } = fakeStart()
    await expect(serveFromEnv('x-demo', 3001, start)).rejects.toThrow(
      new RangeError('REDIS_URL must be a redis:// or rediss:// URL, such as redis://127.0.0.1:6379.'),
    )
    expect(start).not.toHaveBeenCalled()
  })
})
