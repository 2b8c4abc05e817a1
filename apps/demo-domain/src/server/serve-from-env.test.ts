import { afterEach, describe, expect, it, vi } from 'vitest'
import type { ListenOptions, RunningServer } from './listen-on.js'
import { serveFromEnv } from './serve-from-env.js'

afterEach(() => {
  vi.unstubAllEnvs()
  vi.restoreAllMocks()
})

function fakeStart() {
  const close = vi.fn(async () => undefined)
  const start = vi.fn(
    async (options: Required<ListenOptions>): Promise<RunningServer> => ({
      url: `http://${options.host}:${options.port}`,
      close,
    }),
  )
  return { start, close }
}

describe('serveFromEnv', () => {
  it('starts where PORT and HOST say, logs the URL, and closes then exits on SIGTERM', async () => {
    vi.stubEnv('PORT', '8080')
    vi.stubEnv('HOST', '0.0.0.0')
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined)
    const exit = vi.spyOn(process, 'exit').mockImplementation(() => undefined as never)
    const { start, close } = fakeStart()
    const sigint = process.listenerCount('SIGINT')

    const server = await serveFromEnv('x-demo', 3001, start)
    expect(process.listenerCount('SIGINT')).toBe(sigint + 1)

    expect(start).toHaveBeenCalledWith({ port: 8080, host: '0.0.0.0' })
    expect(server.url).toBe('http://0.0.0.0:8080')
    expect(log).toHaveBeenCalledWith('x-demo listening on http://0.0.0.0:8080')
    process.emit('SIGTERM', 'SIGTERM')
    await vi.waitFor(() => expect(exit).toHaveBeenCalledWith(0))
    expect(close).toHaveBeenCalledTimes(1)
    expect(process.listenerCount('SIGINT')).toBe(sigint)
  })

  it('falls back to the default port and 127.0.0.1, and stops on SIGINT too', async () => {
    vi.stubEnv('PORT', '')
    vi.stubEnv('HOST', '')
    vi.spyOn(console, 'log').mockImplementation(() => undefined)
    const exit = vi.spyOn(process, 'exit').mockImplementation(() => undefined as never)
    const { start, close } = fakeStart()
    const sigterm = process.listenerCount('SIGTERM')

    await serveFromEnv('x-demo', 3001, start)
    expect(process.listenerCount('SIGTERM')).toBe(sigterm + 1)

    expect(start).toHaveBeenCalledWith({ port: 3001, host: '127.0.0.1' })
    process.emit('SIGINT', 'SIGINT')
    await vi.waitFor(() => expect(exit).toHaveBeenCalledWith(0))
    expect(close).toHaveBeenCalledTimes(1)
    expect(process.listenerCount('SIGTERM')).toBe(sigterm)
  })

  it('refuses a PORT that is not a port, before starting anything', async () => {
    vi.stubEnv('PORT', 'http')
    const { start } = fakeStart()
    await expect(serveFromEnv('x-demo', 3001, start)).rejects.toThrow(
      'PORT must be a whole number from 0 to 65535, got "http".',
    )
    expect(start).not.toHaveBeenCalled()
  })
})
