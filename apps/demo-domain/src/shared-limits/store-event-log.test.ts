import { describe, expect, it } from 'vitest'
import { logStoreEvents } from './store-event-log.js'

describe('logStoreEvents', () => {
  it('logs when a store goes down, what the limiter does meanwhile, and when it comes back; nothing else', () => {
    const lines: string[] = []
    const sink = logStoreEvents((line) => lines.push(line))
    const base = { time: 0, limiter: 'api', store: 'redis', fallback: 'insurance' } as const
    sink({ ...base, type: 'ratelimit.store-unavailable', error: new Error('Connection is closed.') })
    sink({ ...base, type: 'ratelimit.store-unavailable', error: new Error('timed out after 100 ms') })
    sink({ ...base, type: 'ratelimit.store-unavailable', error: 'not an error' })
    sink({ ...base, type: 'ratelimit.store-unavailable', fallback: 'fail-open' })
    sink({ ...base, type: 'ratelimit.store-unavailable', fallback: 'fail-closed' })
    sink({ ...base, type: 'ratelimit.store-recovered' })
    sink({
      type: 'ratelimit.denied',
      limiter: 'api',
      key: 'ip:198.51.100.1',
      retryAfter: 1000,
      time: 0,
      requestId: 'r',
      method: 'GET',
      path: '/v1/notes',
      clientIp: '198.51.100.1',
    })
    expect(lines).toEqual([
      'Rate limiter "api": the redis store is unavailable: Connection is closed; limiting with this process\'s memory until it is back.',
      'Rate limiter "api": the redis store is unavailable: timed out after 100 ms; limiting with this process\'s memory until it is back.',
      'Rate limiter "api": the redis store is unavailable; limiting with this process\'s memory until it is back.',
      'Rate limiter "api": the redis store is unavailable; admitting every request until it is back.',
      'Rate limiter "api": the redis store is unavailable; refusing every request with a 503 until it is back.',
      'Rate limiter "api": the redis store is back.',
    ])
  })
})
