import { configError } from '../config/index.js'
import { parseDuration } from '../duration/index.js'

/** Unix seconds as senders write them: ASCII digits, no sign, no leading zero, at most 12 digits. */
const unixSecondsPattern = /^(?:0|[1-9][0-9]{0,11})$/

/**
 * Parses a timestamp header. Strict, so the text signed is the number read: a `+`, a leading zero
 * or trailing junk would let two parsers disagree on what was signed.
 */
export function parseUnixSeconds(text: string): number | undefined {
  return unixSecondsPattern.test(text) ? Number(text) : undefined
}

/** The default tolerance: 5 minutes, as the Standard Webhooks libraries and Stripe use. */
export const defaultToleranceMs = 300_000

const minToleranceMs = 1000
const maxToleranceMs = 86_400_000

/** Checks the `tolerance` option at `path`: a duration from 1 second to 1 day. */
export function toleranceMs(path: string, value: unknown): number {
  if (value === undefined) return defaultToleranceMs
  const ms = parseDuration(path, value)
  if (ms < minToleranceMs || ms > maxToleranceMs)
    configError(
      path,
      `must be from 1 second to 1 day; got ${ms} ms. Senders stamp each attempt when they send it, so minutes cover clock skew and network delays.`,
    )
  return ms
}

/**
 * Where a timestamp falls against the clock. Whole seconds, as the reference libraries count:
 * a timestamp `tolerance` seconds old is still accepted, one second more is `expired`.
 */
export function windowPosition(
  timestamp: number,
  now: number,
  tolerance: number,
): 'expired' | 'future' | undefined {
  const age = Math.floor(now / 1000) - timestamp
  const toleranceSeconds = tolerance / 1000
  if (age > toleranceSeconds) return 'expired'
  if (-age > toleranceSeconds) return 'future'
  return undefined
}

/**
 * How long, in ms, a replay store must remember a delivery stamped `timestamp`: until the timestamp
 * itself leaves the window, after which a replay is refused as `expired` anyway.
 */
export function replayTtl(timestamp: number, now: number, tolerance: number): number {
  return Math.max(1, (timestamp + Math.floor(tolerance / 1000) + 1) * 1000 - now)
}
