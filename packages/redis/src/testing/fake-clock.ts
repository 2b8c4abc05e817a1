import type { Clock } from '@sec/core'

/** A clock that stands still until told to move, for stores that judge expiry on their clock. */
export interface FakeClock extends Clock {
  /** Moves the time forward by `ms`. */
  advance(ms: number): void
}

/** 2026-01-15T12:00:00Z: an epoch-sized time, like real ones. */
export const fakeClockStart = Date.UTC(2026, 0, 15, 12, 0, 0)

export function fakeClock(start = fakeClockStart): FakeClock {
  let now = start
  return {
    now: () => now,
    advance(ms) {
      now += ms
    },
  }
}
