import { usageError } from './usage-error.js'

const unitMs: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }
const duration = /^(\d{1,9})(ms|s|m|h|d)?$/

/**
 * Parses a duration flag: a number with a unit (`500ms`, `30s`, `5m`, `1h`, `7d`), or a bare number
 * of seconds (as the AWS tools count). Answers milliseconds.
 */
export function parseDurationFlag(flag: string, text: string): number {
  const match = duration.exec(text)
  if (match === null)
    usageError(`${flag} must be a duration such as 300, 30s, 5m or 1h (a bare number is seconds)`)
  return Number(match[1]) * (unitMs[match[2] ?? 's'] as number)
}

/**
 * Parses an `--at` time: Unix seconds, or an ISO 8601 date and time such as `2015-08-30T12:36:00Z`.
 * Answers ms since the epoch.
 */
export function parseTimeFlag(flag: string, text: string): number {
  if (/^\d{1,12}$/.test(text)) return Number(text) * 1000
  const ms = /^\d{4}-\d{2}-\d{2}T/.test(text) ? Date.parse(text) : Number.NaN
  if (!Number.isFinite(ms))
    usageError(`${flag} must be Unix seconds or an ISO 8601 time such as 2015-08-30T12:36:00Z`)
  return ms
}
