import { describe, expect, it } from 'vitest'
import { SecConfigError } from '../errors/index.js'
import { memoryWebhookReplayStore } from './replay-store.js'

function manualClock(start = 1_000_000) {
  let time = start
  return {
    now: () => time,
    advance(ms: number) {
      time += ms
    },
  }
}

describe('memoryWebhookReplayStore', () => {
  it('answers true the first time and false while the key lives', () => {
    const clock = manualClock()
    const store = memoryWebhookReplayStore({ clock })
    expect(store.record('msg_1', 1000)).toBe(true)
    expect(store.record('msg_1', 1000)).toBe(false)
    expect(store.record('msg_2', 1000)).toBe(true)
    clock.advance(999)
    expect(store.record('msg_1', 1000)).toBe(false)
    clock.advance(1)
    expect(store.record('msg_1', 1000)).toBe(true)
    expect(store.record('msg_1', 1000)).toBe(false)
  })

  it('keeps a key at least one millisecond', () => {
    const clock = manualClock()
    const store = memoryWebhookReplayStore({ clock })
    expect(store.record('msg_1', 0)).toBe(true)
    expect(store.record('msg_1', 0)).toBe(false)
    clock.advance(1)
    expect(store.record('msg_1', 0)).toBe(true)
  })

  it('drops expired keys first when full, then the oldest', () => {
    const clock = manualClock()
    const store = memoryWebhookReplayStore({ maxEntries: 3, clock })
    expect(store.record('short', 10)).toBe(true)
    expect(store.record('a', 10_000)).toBe(true)
    expect(store.record('b', 10_000)).toBe(true)
    clock.advance(10)
    expect(store.record('c', 10_000)).toBe(true)
    expect(store.record('a', 10_000)).toBe(false)
    expect(store.record('b', 10_000)).toBe(false)
    expect(store.record('c', 10_000)).toBe(false)
    expect(store.record('d', 10_000)).toBe(true)
    expect(store.record('a', 10_000)).toBe(true)
    expect(store.record('c', 10_000)).toBe(false)
  })

  it('stays within maxEntries under a flood of fresh keys', () => {
    const clock = manualClock()
    const store = memoryWebhookReplayStore({ maxEntries: 100, clock })
    let fresh = 0
    for (let i = 0; i < 10_000; i++) {
      if (store.record(`msg_${i}`, 60_000)) fresh++
      if (i % 7 === 0) clock.advance(1)
    }
    expect(fresh).toBe(10_000)
    let replayed = 0
    for (let i = 9_900; i < 10_000; i++) if (!store.record(`msg_${i}`, 60_000)) replayed++
    expect(replayed).toBe(100)
    expect(store.record('msg_0', 60_000)).toBe(true)
  })

  it('checks its options', () => {
    for (const [options, path] of [
      [{ maxEntries: 0 }, 'memoryWebhookReplayStore.maxEntries'],
      [{ maxEntries: 1.5 }, 'memoryWebhookReplayStore.maxEntries'],
      [{ clock: () => 0 }, 'memoryWebhookReplayStore.clock'],
      [{ ttl: 1 }, 'memoryWebhookReplayStore.ttl'],
    ] as const) {
      let error: unknown
      try {
        memoryWebhookReplayStore(options as never)
      } catch (thrown) {
        error = thrown
      }
      expect(error).toBeInstanceOf(SecConfigError)
      expect((error as SecConfigError).path).toBe(path)
    }
  })
})
