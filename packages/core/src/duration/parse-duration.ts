import { configError } from '../config/index.js'

const unitMs: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
  y: 31_536_000_000,
}

const pattern = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w|y)$/

/**
 * A duration: a number of milliseconds, or a string such as `'500ms'`, `'1s'`, `'10m'`, `'2h'`,
 * `'1d'`, `'1w'`, `'1y'` (365 days).
 */
export type Duration = number | `${number}${'ms' | 's' | 'm' | 'h' | 'd' | 'w' | 'y'}`

/**
 * Turns a {@link Duration} into whole milliseconds, or throws a `SecConfigError` at `path`.
 * Strict on purpose: `'1 year'` or `'5'` are typos we refuse rather than guess.
 */
export function parseDuration(path: string, value: unknown): number {
  if (typeof value === 'number') {
    if (Number.isFinite(value) && value >= 0) return Math.round(value)
    return configError(path, `must be a finite, non-negative number of milliseconds; got ${String(value)}.`)
  }
  if (typeof value === 'string') {
    const match = pattern.exec(value)
    const unit = match?.[2]
    if (match?.[1] !== undefined && unit !== undefined)
      return Math.round(Number(match[1]) * (unitMs[unit] ?? 1))
  }
  return configError(
    path,
    `must be milliseconds as a number or a string like '500ms', '30s', '10m', '1h', '1d', '1w', '1y'; got ${JSON.stringify(value)}.`,
  )
}
