const pattern = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/

/** The SigV4 request time of an instant: `YYYYMMDDTHHMMSSZ` in UTC, e.g. `20150830T123600Z`. */
export function formatAmzDate(ms: number): string {
  const iso = new Date(ms).toISOString()
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`
}

/**
 * The instant (ms since the epoch) of a SigV4 request time, or `undefined` unless it is exactly
 * `YYYYMMDDTHHMMSSZ` with a real calendar date and time from 1970 (no `20150231`, no hour `24`).
 */
export function parseAmzDate(value: string): number | undefined {
  const m = pattern.exec(value)
  if (m === null) return undefined
  const year = Number(m[1])
  const month = Number(m[2]) - 1
  const day = Number(m[3])
  const hour = Number(m[4])
  const minute = Number(m[5])
  const second = Number(m[6])
  if (year < 1970 || hour > 23 || minute > 59 || second > 59) return undefined
  const ms = Date.UTC(year, month, day, hour, minute, second)
  // Date.UTC rolls 31 February over into March: a real date reads back the same month and day.
  const date = new Date(ms)
  return date.getUTCMonth() === month && date.getUTCDate() === day ? ms : undefined
}
