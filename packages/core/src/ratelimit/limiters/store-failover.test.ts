import { describe, expect, it } from 'vitest'
import type { SecurityEvent } from '../../events/index.js'
import { ManualClock } from './fake-stores.js'
import { StoreHealth } from './store-failover.js'

function setup() {
  const clock = new ManualClock()
  const events: SecurityEvent[] = []
  const health = new StoreHealth({
    limiter: 'api',
    store: 'redis',
    fallback: 'fail-closed',
    clock,
    probeInterval: 1000,
    sinks: [(event) => events.push(event)],
  })
  return { clock, events, health }
}

describe('StoreHealth', () => {
  it('goes down on the first failure and reports it once', () => {
    const { clock, events, health } = setup()
    const error = new Error('timeout')
    const epoch = health.epoch
    health.failed(epoch, error)
    health.failed(epoch, new Error('again'))
    health.failed(health.epoch, new Error('while down'))
    expect(health.down).toBe(true)
    expect(events).toEqual([
      {
        type: 'ratelimit.store-unavailable',
        time: clock.time,
        limiter: 'api',
        store: 'redis',
        fallback: 'fail-closed',
        error,
      },
    ])
  })

  it('lets one probe through per interval while down', () => {
    const { clock, health } = setup()
    health.failed(health.epoch, new Error('x'))
    expect(health.probeDue()).toBe(false)
    clock.advance(999)
    expect(health.probeDue()).toBe(false)
    clock.advance(1)
    expect(health.probeDue()).toBe(true)
    expect(health.probeDue()).toBe(false)
    clock.advance(999)
    expect(health.probeDue()).toBe(false)
    clock.advance(1)
    expect(health.probeDue()).toBe(true)
  })

  it('comes back up when a probe succeeds, and reports it once', () => {
    const { clock, events, health } = setup()
    health.failed(health.epoch, new Error('x'))
    clock.advance(1000)
    expect(health.probeDue()).toBe(true)
    const probe = health.epoch
    health.succeeded(probe)
    health.succeeded(probe)
    expect(health.down).toBe(false)
    expect(events.map((e) => e.type)).toEqual(['ratelimit.store-unavailable', 'ratelimit.store-recovered'])
    expect(events[1]).toEqual({
      type: 'ratelimit.store-recovered',
      time: clock.time,
      limiter: 'api',
      store: 'redis',
      fallback: 'fail-closed',
    })
  })

  it('ignores late answers of calls started in an earlier state', () => {
    const { events, health } = setup()
    const before = health.epoch
    health.failed(before, new Error('x'))
    health.succeeded(before)
    expect(health.down).toBe(true)
    const probe = health.epoch
    health.succeeded(probe)
    health.failed(before, new Error('late'))
    health.failed(probe, new Error('late probe'))
    expect(health.down).toBe(false)
    expect(events).toHaveLength(2)
  })

  it('keeps working when an event sink throws', () => {
    const clock = new ManualClock()
    const seen: string[] = []
    const health = new StoreHealth({
      limiter: 'api',
      store: 'redis',
      fallback: 'insurance',
      clock,
      probeInterval: 10,
      sinks: [
        () => {
          throw new Error('sink broke')
        },
        (event) => seen.push(event.type),
      ],
    })
    expect(() => health.failed(health.epoch, new Error('x'))).not.toThrow()
    expect(() => health.succeeded(health.epoch)).not.toThrow()
    expect(health.down).toBe(false)
    expect(seen).toEqual(['ratelimit.store-unavailable', 'ratelimit.store-recovered'])
  })
})
